import { AvatarSection } from '../features/profile/AvatarSection';
import { DetailsSection } from '../features/profile/DetailsSection';
import { PasswordSection } from '../features/profile/PasswordSection';
import { SessionsSection } from '../features/profile/SessionsSection';
import { TwoFactorSection } from '../features/profile/TwoFactorSection';
import { useSession } from '../lib/session';

export function ProfilePage() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <div className="profile-page">
      <h1>Profile &amp; security</h1>
      <div className="profile-grid">
        <AvatarSection user={user} />
        <DetailsSection user={user} />
        <PasswordSection />
        <TwoFactorSection user={user} />
        <SessionsSection />
      </div>
    </div>
  );
}
