/** Module boundaries of docs/adr/0003: pure domain files, modules talk through index.ts, platform knows no module. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        '*.domain.ts holds pure rules: it imports nothing from platform/ (nor services, routes, the database).',
      severity: 'error',
      from: { path: '\\.domain\\.ts$' },
      to: {
        path: '(^apps/server/src/platform/|\\.(service|routes|jobs|tables)\\.ts$|^node_modules/(pg|drizzle-orm|@electric-sql|fastify|pg-boss))',
      },
    },
    {
      name: 'modules-through-index',
      comment:
        'A module imports another module only through its index.ts (tables may reference tables for foreign keys).',
      severity: 'error',
      from: { path: '^apps/server/src/modules/([^/]+)/(?!.*\\.tables\\.ts$)' },
      to: {
        path: '^apps/server/src/modules/([^/]+)/',
        pathNot: ['^apps/server/src/modules/$1/', '^apps/server/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'tables-reference-tables',
      comment: "Across modules, a *.tables.ts file may import only another module's *.tables.ts.",
      severity: 'error',
      from: { path: '^apps/server/src/modules/([^/]+)/.*\\.tables\\.ts$' },
      to: {
        path: '^apps/server/src/modules/([^/]+)/',
        pathNot: ['^apps/server/src/modules/$1/', '\\.tables\\.ts$'],
      },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'platform/ is infrastructure without business logic; it never imports a module.',
      severity: 'error',
      from: { path: '^apps/server/src/platform/' },
      to: { path: '^apps/server/src/modules/' },
    },
    {
      name: 'stats-is-pure',
      comment: 'packages/stats takes plain arrays and returns plain objects: no I/O.',
      severity: 'error',
      from: { path: '^packages/stats/' },
      to: {
        path: '^(apps/|node_modules/(pg|drizzle-orm|@electric-sql|fastify))|^(fs|node:fs|net|node:net|http|node:http)$',
      },
    },
    {
      name: 'web-only-through-contract',
      comment: 'The web app shares types with the server only through packages/contract.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^apps/server/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^apps/server/src/modules/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|dist|\\.test\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
