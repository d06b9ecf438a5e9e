import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { App } from './shell/app';
import { createQueryClient } from './shell/query-client';
import { mountPoint } from './shell/mount-point';
import { theme } from './shell/theme';

const queryClient = createQueryClient();

createRoot(mountPoint()).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
