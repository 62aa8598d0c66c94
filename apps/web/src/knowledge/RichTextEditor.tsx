import type { KbFileList } from '@keepdesk/contract';
import { ActionIcon, Group, Paper, Tooltip } from '@mantine/core';
import {
  IconBold,
  IconH2,
  IconH3,
  IconItalic,
  IconLink,
  IconList,
  IconListNumbers,
  IconPhoto,
} from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';

/**
 * A small rich-text editor (contentEditable with a toolbar): no editor package is installed, and the server
 * sanitises whatever arrives, so this only has to produce plain formatting markup.
 */
export function RichTextEditor({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (html: string) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const area = useRef<HTMLDivElement>(null);
  const file = useRef<HTMLInputElement>(null);

  // Only outside changes (a restore, a loaded article) are written in; typing must not reset the caret.
  useEffect(() => {
    if (area.current && area.current.innerHTML !== value) area.current.innerHTML = value;
  }, [value]);

  const emit = () => onChange(area.current?.innerHTML ?? '');
  const run = (command: string, argument?: string) => {
    area.current?.focus();
    document.execCommand(command, false, argument);
    emit();
  };
  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    try {
      const stored = await api.upload<KbFileList>('/kb/files', [...files]);
      for (const item of stored.items) {
        if (item.contentType.startsWith('image/')) run('insertImage', item.url);
        else run('createLink', item.url);
      }
    } catch (error) {
      notifyError(t, error);
    }
  };
  const tools = [
    { icon: IconBold, label: t('knowledge.editor.bold'), action: () => run('bold') },
    { icon: IconItalic, label: t('knowledge.editor.italic'), action: () => run('italic') },
    { icon: IconH2, label: t('knowledge.editor.heading'), action: () => run('formatBlock', 'h2') },
    { icon: IconH3, label: t('knowledge.editor.subheading'), action: () => run('formatBlock', 'h3') },
    { icon: IconList, label: t('knowledge.editor.bullets'), action: () => run('insertUnorderedList') },
    { icon: IconListNumbers, label: t('knowledge.editor.numbers'), action: () => run('insertOrderedList') },
    {
      icon: IconLink,
      label: t('knowledge.editor.link'),
      action: () => {
        const href = window.prompt(t('knowledge.editor.linkPrompt'), 'https://');
        if (href) run('createLink', href);
      },
    },
    { icon: IconPhoto, label: t('knowledge.editor.image'), action: () => file.current?.click() },
  ];
  return (
    <Paper withBorder radius="sm">
      <Group gap={2} p={4} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        {tools.map(({ icon: Icon, label: toolLabel, action }) => (
          <Tooltip key={toolLabel} label={toolLabel}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={toolLabel}
              onMouseDown={(event) => event.preventDefault()}
              onClick={action}
            >
              <Icon size={16} />
            </ActionIcon>
          </Tooltip>
        ))}
        <input
          ref={file}
          type="file"
          hidden
          accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
          data-testid="kb-file-input"
          onChange={(event) => {
            void upload(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
        />
      </Group>
      {/* biome-ignore lint/a11y/useSemanticElements: a contentEditable region is the editor; no element replaces it */}
      <div
        ref={area}
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        tabIndex={0}
        contentEditable
        suppressContentEditableWarning
        data-testid="kb-body"
        onInput={emit}
        onBlur={emit}
        style={{ minHeight: 260, padding: 12, outline: 'none', lineHeight: 1.55 }}
      />
    </Paper>
  );
}
