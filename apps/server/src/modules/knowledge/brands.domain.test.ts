import { WidgetSettings } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET, safeColor, safeOrigin, widgetSettingsOf } from './brands.domain';

describe('widget settings', () => {
  it('fills missing settings with the defaults', () => {
    expect(widgetSettingsOf(null)).toEqual(DEFAULT_WIDGET);
    expect(widgetSettingsOf({ position: 'bottom-left' })).toEqual({
      ...DEFAULT_WIDGET,
      position: 'bottom-left',
    });
  });

  it('drops values that could break out of a style property or a header', () => {
    const settings = widgetSettingsOf({
      primaryColor: 'red;background:url(x)',
      textColor: '#FFF',
      position: 'top' as never,
      language: 'fr' as never,
      allowedOrigins: [
        'https://Shop.Example',
        'https://a.example; script-src *',
        'javascript:alert(1)',
        'http://x:8080',
      ],
    });
    expect(settings.primaryColor).toBe(DEFAULT_WIDGET.primaryColor);
    expect(settings.textColor).toBe('#fff');
    expect(settings.position).toBe('bottom-right');
    expect(settings.language).toBe('auto');
    expect(settings.allowedOrigins).toEqual(['https://shop.example', 'http://x:8080']);
  });

  it('keeps a disabled widget disabled and a chosen language', () => {
    expect(widgetSettingsOf({ enabled: false }).enabled).toBe(false);
    expect(widgetSettingsOf({ language: 'de' }).language).toBe('de');
  });

  it.each([
    ['#1864ab', '#1864ab'],
    ['#abc', '#abc'],
    ['#12345', '#000'],
    ['blue', '#000'],
    [undefined, '#000'],
  ])('accepts %s as colour → %s', (value, expected) => {
    expect(safeColor(value, '#000')).toBe(expected);
  });

  it('accepts only a plain origin', () => {
    expect(safeOrigin('https://Shop.example:8443')).toBe('https://shop.example:8443');
    expect(safeOrigin('https://shop.example/path')).toBeNull();
    expect(safeOrigin('null')).toBeNull();
    expect(safeOrigin(undefined)).toBeNull();
  });

  it.each([
    ['https://shop.example', true],
    ['http://localhost:3000', true],
    ['https://a-b.example.com:8443', true],
    ['https://a.example/', false],
    ['https://a.example; script-src *', false],
    ['https://a.example;script-src', false],
    ['https://a.example,https://b.example', false],
    ['https://*.example.com', false],
    ['https://a..example', false],
    ['https://-a.example', false],
    ['ftp://a.example', false],
  ])('the API and the header agree on %s as an origin (%s)', (value, accepted) => {
    const inContract = WidgetSettings.shape.allowedOrigins.element.safeParse(value).success;
    expect(inContract).toBe(accepted);
    expect(safeOrigin(value) !== null).toBe(accepted);
  });
});
