// A work order's photos in plain markup (the phone pages and the console share it): the
// server's thumbnails (a few kilobytes each), each opening full size in place when tapped, and,
// for the order's people while it is open, a button that takes or picks a photo. The page re-reads the order when the photo lands (it hears its own
// change live).
import { useEffect, useState } from 'react';
import type { WorkOrderDetailQuery } from '../gql/graphql';
import { useT } from '../i18n';
import { describe, type ApiError } from './errors';
import { objectUrl, postFile } from './files';

type Photo = WorkOrderDetailQuery['workOrder']['photos'][number];

/** An object URL for the file at `path` (fetched with the session), while `want`. */
function useFile(path: string, want: boolean) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    if (!want) return undefined;
    let url: string | undefined;
    void objectUrl(path).then((u) => { url = u; setSrc(u); }, () => undefined);
    return () => { if (url) URL.revokeObjectURL(url); };
  }, [path, want]);
  return src;
}

function Thumb({ photo }: { photo: Photo }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const small = useFile(photo.thumbnailPath, true);
  const full = useFile(photo.path, open);
  const label = `${t.wo.photo} · ${t.wo.states[photo.stage]}`;
  const src = open ? full ?? small : small;
  if (!src) return <span className="photo" aria-label={label} />;
  return (
    <a href={photo.path} aria-expanded={open} onClick={(e) => { e.preventDefault(); setOpen(!open); }}>
      <img className={open ? 'photo open' : 'photo'} src={src} alt={label} />
    </a>
  );
}

export function OrderPhotos({ orderId, photos, canAdd }: { orderId: string; photos: Photo[]; canAdd: boolean }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const add = async (file?: File) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      await postFile(`/work-orders/${orderId}/photos`, file);
    } catch (e) {
      setError(describe(e as ApiError, t));
    } finally {
      setBusy(false);
    }
  };
  if (photos.length === 0 && !canAdd) return null;
  return (
    <div className="photos">
      {photos.map((p) => <Thumb key={p.id} photo={p} />)}
      {canAdd && (
        <label className="photo-add">
          {busy ? t.loading : t.wo.addPhoto}
          <input type="file" accept="image/jpeg,image/png" capture="environment" disabled={busy}
            onChange={(e) => { void add(e.target.files?.[0]); e.target.value = ''; }} />
        </label>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
