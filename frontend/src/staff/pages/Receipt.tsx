// The receipt page in the console.
import { Card } from 'antd';
import { useParams } from 'react-router';
import { Receipt } from '../../app/Receipt';

export default function ReceiptPage() {
  const { id = '' } = useParams();
  return <Card><Receipt id={id} /></Card>;
}
