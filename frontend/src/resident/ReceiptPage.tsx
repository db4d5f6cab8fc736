// A receipt, on the phone.
import { useParams } from 'react-router';
import { Receipt } from '../app/Receipt';

export function ReceiptPage() {
  const { id = '' } = useParams();
  return <Receipt id={id} />;
}
