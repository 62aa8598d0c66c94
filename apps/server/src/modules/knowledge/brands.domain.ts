import type { WidgetSettings } from '@keepdesk/contract';

/** A brand's widget before anyone changed its settings; fills what a stored setting lacks. */
export const DEFAULT_WIDGET: WidgetSettings = {
  enabled: true,
  primaryColor: '#1864ab',
  textColor: '#ffffff',
  position: 'bottom-right',
  language: 'auto',
  allowedOrigins: [],
};

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
// The same pattern as the contract's `Origin`: host labels of letters, digits and inner dashes.
const ORIGIN =
  /^https?:\/\/[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?$/;

/** A `#rgb` / `#rrggbb` colour, else the fallback: nothing else ever reaches a style property. */
export function safeColor(value: unknown, fallback: string): string {
  return typeof value === 'string' && COLOR.test(value) ? value.toLowerCase() : fallback;
}

/** A plain origin (`scheme://host[:port]`, lower case), else null: nothing else ever reaches a header. */
export function safeOrigin(value: unknown): string | null {
  return typeof value === 'string' && ORIGIN.test(value) ? value.toLowerCase() : null;
}

/**
 * The stored widget settings over the defaults, each value checked again: the jsonb may hold anything an
 * older release or a hand-made row put there, and these values end up in a header (origins) and in style
 * properties (colours).
 */
export function widgetSettingsOf(stored: Partial<WidgetSettings> | null | undefined): WidgetSettings {
  const s = stored ?? {};
  return {
    enabled: s.enabled !== false,
    primaryColor: safeColor(s.primaryColor, DEFAULT_WIDGET.primaryColor),
    textColor: safeColor(s.textColor, DEFAULT_WIDGET.textColor),
    position:
      s.position === 'bottom-left' || s.position === 'bottom-right' ? s.position : DEFAULT_WIDGET.position,
    language:
      s.language === 'de' || s.language === 'en' || s.language === 'auto'
        ? s.language
        : DEFAULT_WIDGET.language,
    allowedOrigins: (Array.isArray(s.allowedOrigins) ? s.allowedOrigins : [])
      .map(safeOrigin)
      .filter((origin): origin is string => origin !== null),
  };
}
