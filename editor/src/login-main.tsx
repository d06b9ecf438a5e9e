import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { LoginPage } from './login/login-page';
import { mountPoint } from './shell/mount-point';
import { theme } from './shell/theme';

createRoot(mountPoint()).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <LoginPage />
    </MantineProvider>
  </StrictMode>,
);
