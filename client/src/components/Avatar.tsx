interface AvatarProps {
  name: string;
  url: string | null | undefined;
  size?: number;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0] ?? '?'];
  return letters.join('').toUpperCase();
}

export function Avatar({ name, url, size = 32 }: AvatarProps) {
  const style = { width: size, height: size, fontSize: size * 0.4 };
  return url ? (
    <img className="avatar" src={url} alt="" width={size} height={size} style={style} />
  ) : (
    // The initials are drawn by CSS (::before), not text: a button holding an avatar is named by its
    // words alone, and its accessible name then contains all of its visible text.
    <span className="avatar avatar-initials" style={style} aria-hidden="true" data-initials={initials(name)} />
  );
}
