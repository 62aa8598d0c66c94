import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import { AuthFrame } from '../components/AuthFrame';

const route = getRouteApi('/reset-password');

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token } = route.useSearch();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const confirm = useMutation({
    mutationFn: () => api.post('/auth/password-reset/confirm', { token, password }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== repeat);
    if (password === repeat) confirm.mutate();
  };
  const error = confirm.error instanceof ApiError ? confirm.error : undefined;
  const passwordError = mismatch ? t('reset.mismatch') : error?.fieldError('password');
  const tokenProblem = error && !error.fieldError('password') ? t('reset.invalid') : undefined;

  if (!token) {
    return (
      <AuthFrame title={t('reset.title')}>
        <Alert color="red">{t('reset.invalid')}</Alert>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={t('reset.title')} subtitle={t('reset.subtitle')}>
      {confirm.isSuccess ? (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck size={18} />} role="status">
            {t('reset.done')}
          </Alert>
          <Button component={Link} to="/login">
            {t('login.submit')}
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {tokenProblem && (
              <Alert color="red" role="alert">
                {tokenProblem}{' '}
                <Anchor component={Link} to="/forgot-password">
                  {t('reset.again')}
                </Anchor>
              </Alert>
            )}
            <PasswordInput
              label={t('reset.newPassword')}
              description={t('reset.rule')}
              autoComplete="new-password"
              required
              value={password}
              error={passwordError}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('reset.repeat')}
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(event) => setRepeat(event.currentTarget.value)}
            />
            <Button type="submit" loading={confirm.isPending} fullWidth>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
