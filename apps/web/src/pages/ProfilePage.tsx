import type { User } from '@keepdesk/contract';
import { Button, Card, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifyError, notifySaved } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { meQuery, useMe } from '../session';
import { timeZones } from '../timezones';

export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const [language, setLanguage] = useState<string>(me.user.language);
  const [timeZone, setTimeZone] = useState(me.user.timeZone);
  const save = useMutation({
    mutationFn: () => api.patch<User>('/me', { name, language, timeZone }),
    onSuccess: async () => {
      await i18n.changeLanguage(language);
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
      notifySaved(t);
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <PageHeader title={t('profile.title')} text={t('profile.text')} />
      <Card withBorder maw={520} padding="lg">
        <form onSubmit={submit}>
          <Stack>
            <TextInput label={t('fields.email')} value={me.user.email} disabled />
            <TextInput
              label={t('fields.name')}
              required
              value={name}
              error={errors.name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Select
              label={t('fields.language')}
              value={language}
              onChange={(value) => setLanguage(value ?? 'en')}
              allowDeselect={false}
              data={[
                { value: 'de', label: 'Deutsch' },
                { value: 'en', label: 'English' },
              ]}
            />
            <Select
              label={t('fields.timeZone')}
              searchable
              value={timeZone}
              error={errors.timeZone}
              onChange={(value) => setTimeZone(value ?? me.user.timeZone)}
              allowDeselect={false}
              data={timeZones()}
            />
            <Button type="submit" loading={save.isPending} w="fit-content">
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Card>
    </>
  );
}
