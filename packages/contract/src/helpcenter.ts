import { z } from 'zod';

const HexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1864ab')
  .meta({ description: 'A colour as #rrggbb' });
const BrandSlug = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes');
// What a `frame-ancestors` source may hold, and exactly what the server's `safeOrigin` keeps (brands.domain.ts).
// No regex flags: the pattern goes into the OpenAPI document as it is.
const Origin = z
  .string()
  .trim()
  .regex(
    /^https?:\/\/[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?$/,
    'an origin: http:// or https://, a host name and an optional port, like https://www.example.com:8443 (no path)',
  );

export const WidgetSettings = z
  .object({
    enabled: z.boolean(),
    primaryColor: HexColor,
    textColor: HexColor,
    position: z.enum(['bottom-right', 'bottom-left']),
    language: z.enum(['auto', 'de', 'en']),
    allowedOrigins: z.array(Origin).max(50),
  })
  .meta({ id: 'WidgetSettings' });
export type WidgetSettings = z.infer<typeof WidgetSettings>;

export const Brand = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    defaultLanguage: z.enum(['de', 'en']),
    primaryColor: z.string(),
    contactFormEnabled: z.boolean(),
    maxTicketsPerAddressPerDay: z.number().int(),
    widget: WidgetSettings,
    /** Where the public help center of this brand is: `{baseUrl}/hc/{slug}`. */
    helpCenterUrl: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Brand' });
export type Brand = z.infer<typeof Brand>;

export const BrandList = z.object({ items: z.array(Brand) }).meta({ id: 'BrandList' });
export type BrandList = z.infer<typeof BrandList>;

export const BrandParams = z.object({ id: z.uuid() });

export const UpdateBrandBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  slug: BrandSlug.optional(),
  defaultLanguage: z.enum(['de', 'en']).optional(),
  primaryColor: HexColor.optional(),
  contactFormEnabled: z.boolean().optional(),
  maxTicketsPerAddressPerDay: z.number().int().min(1).max(1000).optional(),
  widget: WidgetSettings.partial().optional(),
});
export type UpdateBrandBody = z.infer<typeof UpdateBrandBody>;

export const CreateBrandBody = z.object({
  name: z.string().trim().min(1).max(100),
  slug: BrandSlug,
  defaultLanguage: z.enum(['de', 'en']).default('en'),
  primaryColor: HexColor.default('#1864ab'),
  contactFormEnabled: z.boolean().default(true),
  maxTicketsPerAddressPerDay: z.number().int().min(1).max(1000).default(5),
  widget: WidgetSettings.partial().default({}),
});
export type CreateBrandBody = z.infer<typeof CreateBrandBody>;
