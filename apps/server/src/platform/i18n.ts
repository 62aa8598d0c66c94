export type Language = 'de' | 'en';

export type Messages = Record<Language, Record<string, string>>;

/** Fills `{name}` placeholders of a message in the given language; falls back to English, then the key. */
export function translate(
  messages: Messages,
  language: Language,
  key: string,
  vars: Record<string, string> = {},
): string {
  const template = messages[language][key] ?? messages.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
