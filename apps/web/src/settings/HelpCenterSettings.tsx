import type { Brand, BrandList } from '@keepdesk/contract';
import {
  Anchor,
  Button,
  Card,
  Checkbox,
  Code,
  ColorInput,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';

type Form = Omit<Brand, 'id' | 'helpCenterUrl' | 'createdAt' | 'updatedAt'>;

function formOf(brand: Brand): Form {
  const { id: _id, helpCenterUrl: _url, createdAt: _created, updatedAt: _updated, ...rest } = brand;
  return rest;
}

/** The snippet a customer pastes into their site; the widget is served from Keepdesk's own origin. */
function embedSnippet(brand: Pick<Brand, 'slug' | 'helpCenterUrl'>): string {
  const baseUrl = brand.helpCenterUrl.replace(/\/hc\/[^/]+$/, '');
  return `<script src="${baseUrl}/widget.js" data-brand="${brand.slug}" async></script>`;
}

/** Help center and widget of each brand: address, colours, contact form limits, widget settings. */
export function HelpCenterSettings() {
  const { t } = useTranslation();
  const me = useMe();
  const brands = useQuery({ queryKey: ['kb-brands'], queryFn: () => api.get<BrandList>('/kb/brands') });
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const items = brands.data?.items ?? [];
  const brand = items.find((b) => b.id === selected) ?? items[0];
  return (
    <>
      <PageHeader
        title={t('helpCenter.title')}
        text={t('helpCenter.text')}
        action={
          can(me, 'users:manage') ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('helpCenter.addBrand')}
            </Button>
          ) : undefined
        }
      />
      {items.length > 1 && (
        <Select
          mb="md"
          label={t('helpCenter.brand')}
          data={items.map((b) => ({ value: b.id, label: b.name }))}
          value={brand?.id ?? null}
          onChange={setSelected}
          allowDeselect={false}
        />
      )}
      {brand && <BrandForm key={brand.id + brand.updatedAt} brand={brand} canEdit={can(me, 'kb:publish')} />}
      {creating && <CreateBrandModal onClose={() => setCreating(false)} />}
    </>
  );
}

function BrandForm({ brand, canEdit }: { brand: Brand; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(formOf(brand));
  const [origins, setOrigins] = useState(brand.widget.allowedOrigins.join('\n'));
  useEffect(() => setForm(formOf(brand)), [brand]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const setWidget = <K extends keyof Form['widget']>(key: K, value: Form['widget'][K]) =>
    setForm({ ...form, widget: { ...form.widget, [key]: value } });
  const save = useMutation({
    mutationFn: () =>
      api.put<Brand>(`/kb/brands/${brand.id}`, {
        ...form,
        widget: {
          ...form.widget,
          allowedOrigins: origins
            .split(/[\s,]+/)
            .map((o) => o.trim())
            .filter(Boolean),
        },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['kb-brands'] });
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const snippet = embedSnippet(brand);
  return (
    <form onSubmit={submit}>
      <Stack>
        <Card withBorder>
          <Stack>
            <Group justify="space-between">
              <Title order={2} size="h4">
                {t('helpCenter.site')}
              </Title>
              <Anchor href={brand.helpCenterUrl} target="_blank" rel="noopener">
                <Group gap={4}>
                  {t('helpCenter.open')} <IconExternalLink size={14} aria-hidden />
                </Group>
              </Anchor>
            </Group>
            <Group grow align="flex-start">
              <TextInput
                label={t('helpCenter.name')}
                required
                disabled={!canEdit}
                value={form.name}
                error={errors.name}
                onChange={(e) => set('name', e.currentTarget.value)}
              />
              <TextInput
                label={t('helpCenter.slug')}
                description={t('helpCenter.slugHint')}
                required
                disabled={!canEdit}
                value={form.slug}
                error={errors.slug}
                onChange={(e) => set('slug', e.currentTarget.value)}
              />
            </Group>
            <Group grow align="flex-start">
              <Select
                label={t('helpCenter.defaultLanguage')}
                disabled={!canEdit}
                data={[
                  { value: 'de', label: 'Deutsch' },
                  { value: 'en', label: 'English' },
                ]}
                value={form.defaultLanguage}
                allowDeselect={false}
                onChange={(value) => set('defaultLanguage', value === 'de' ? 'de' : 'en')}
              />
              <ColorInput
                label={t('helpCenter.color')}
                disabled={!canEdit}
                format="hex"
                value={form.primaryColor}
                error={errors.primaryColor}
                onChange={(value) => set('primaryColor', value)}
              />
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Stack>
            <Title order={2} size="h4">
              {t('helpCenter.contactForm')}
            </Title>
            <Checkbox
              label={t('helpCenter.contactFormEnabled')}
              disabled={!canEdit}
              checked={form.contactFormEnabled}
              onChange={(e) => set('contactFormEnabled', e.currentTarget.checked)}
            />
            <NumberInput
              label={t('helpCenter.dailyCap')}
              description={t('helpCenter.dailyCapHint')}
              disabled={!canEdit}
              min={1}
              max={1000}
              value={form.maxTicketsPerAddressPerDay}
              error={errors.maxTicketsPerAddressPerDay}
              onChange={(value) => set('maxTicketsPerAddressPerDay', Number(value) || 1)}
            />
          </Stack>
        </Card>
        <Card withBorder>
          <Stack>
            <Title order={2} size="h4">
              {t('helpCenter.widget')}
            </Title>
            <Checkbox
              label={t('helpCenter.widgetEnabled')}
              disabled={!canEdit}
              checked={form.widget.enabled}
              onChange={(e) => setWidget('enabled', e.currentTarget.checked)}
            />
            <Group grow align="flex-start">
              <ColorInput
                label={t('helpCenter.widgetColor')}
                disabled={!canEdit}
                format="hex"
                value={form.widget.primaryColor}
                error={errors['widget.primaryColor']}
                onChange={(value) => setWidget('primaryColor', value)}
              />
              <ColorInput
                label={t('helpCenter.widgetTextColor')}
                disabled={!canEdit}
                format="hex"
                value={form.widget.textColor}
                error={errors['widget.textColor']}
                onChange={(value) => setWidget('textColor', value)}
              />
            </Group>
            <Group grow align="flex-start">
              <Select
                label={t('helpCenter.position')}
                disabled={!canEdit}
                data={[
                  { value: 'bottom-right', label: t('helpCenter.bottomRight') },
                  { value: 'bottom-left', label: t('helpCenter.bottomLeft') },
                ]}
                value={form.widget.position}
                allowDeselect={false}
                onChange={(value) =>
                  setWidget('position', value === 'bottom-left' ? 'bottom-left' : 'bottom-right')
                }
              />
              <Select
                label={t('helpCenter.widgetLanguage')}
                disabled={!canEdit}
                data={[
                  { value: 'auto', label: t('helpCenter.languageAuto') },
                  { value: 'de', label: 'Deutsch' },
                  { value: 'en', label: 'English' },
                ]}
                value={form.widget.language}
                allowDeselect={false}
                onChange={(value) => setWidget('language', value === 'de' || value === 'en' ? value : 'auto')}
              />
            </Group>
            <Textarea
              label={t('helpCenter.allowedOrigins')}
              description={t('helpCenter.allowedOriginsHint')}
              disabled={!canEdit}
              autosize
              minRows={2}
              value={origins}
              error={Object.entries(errors).find(([field]) => field.startsWith('widget.allowedOrigins'))?.[1]}
              onChange={(e) => setOrigins(e.currentTarget.value)}
            />
            <div>
              <Text fw={600} size="sm">
                {t('helpCenter.snippet')}
              </Text>
              <Text size="xs" c="dimmed" mb={4}>
                {t('helpCenter.snippetHint')}
              </Text>
              <Code block data-testid="widget-snippet">
                {snippet}
              </Code>
              <CopyButton value={snippet}>
                {({ copied, copy }) => (
                  <Button mt="xs" size="xs" variant="light" onClick={copy}>
                    {copied ? t('helpCenter.copied') : t('helpCenter.copy')}
                  </Button>
                )}
              </CopyButton>
            </div>
          </Stack>
        </Card>
        {canEdit && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function CreateBrandModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Brand>('/kb/brands', { name, slug }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['kb-brands'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(create.error);
  return (
    <Modal opened onClose={onClose} title={t('helpCenter.addBrand')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t('helpCenter.name')}
            required
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            label={t('helpCenter.slug')}
            description={t('helpCenter.slugHint')}
            required
            value={slug}
            error={errors.slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('helpCenter.addBrand')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
