import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { notifyError } from '../components/feedback';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => api.post('/auth/password-reset', { email }),
    onError: (error) => notifyError(t, error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <AuthFrame title={t('forgot.title')} subtitle={t('forgot.subtitle')}>
      {request.isSuccess ? (
        <Stack>
          <Alert color="teal" icon={<IconMailCheck size={18} />} role="status">
            {t('forgot.sent')}
          </Alert>
          <Anchor component={Link} to="/login" size="sm">
            {t('forgot.back')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('fields.email')}
              type="email"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <Button type="submit" loading={request.isPending} fullWidth>
              {t('forgot.submit')}
            </Button>
            <Anchor component={Link} to="/login" size="sm" ta="center">
              {t('forgot.back')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
