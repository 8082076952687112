import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ApiProvider } from './components/ApiProvider';
import { ToastProvider } from './components/Toasts';
import { createQueryClient } from './lib/service-status';
import { apiLinks } from './trpc';
import './styles.css';

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider queryClient={queryClient} link={apiLinks()}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ApiProvider>
  </StrictMode>,
);
