import { AccountLifetimeValue, IdParams, LifetimeValueQuery, LifetimeValueReport } from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import type { App } from '../../platform/http';
import { accountLifetimeValue, lifetimeValueReport } from './value.service';

/** Customer lifetime value: the workspace's model fits (a report) and one account's value. */
export function lifetimeValueRoutes(deps: Deps) {
  return async (app: App) => {
    const tags = ['retention'];
    app.get(
      '/retention/lifetime-value',
      {
        schema: {
          tags,
          description:
            'The lifetime-value fit report: BG/NBD and Gamma-Gamma fitted to the orders up to `holdoutWeeks` before today, with their parameters, log-likelihood and the holdout comparison of actual and expected purchases by calibration frequency; the shifted-beta-geometric model fitted to monthly subscription cohorts, with its projected and actual survival. A part is null, with the reason, when there is too little data. Fits are reused for up to five minutes.',
          querystring: LifetimeValueQuery,
          response: { 200: LifetimeValueReport },
        },
        config: { access: { permission: 'reports:read' } },
      },
      async (req) => lifetimeValueReport(deps, req.query),
    );
    app.get(
      '/customer-accounts/:id/lifetime-value',
      {
        schema: {
          tags,
          description:
            "One account's historic value (order and subscription revenue to date) and predicted value: for buyers P(alive), expected purchases and spend and the discounted value of the next 12 months (BG/NBD, Gamma-Gamma, 10 % a year); for subscribers MRR × the discounted months the sBG model still expects them to pay.",
          params: IdParams,
          response: { 200: AccountLifetimeValue },
        },
        config: { access: { permission: 'customers:read' } },
      },
      async (req) => accountLifetimeValue(deps, req.params.id),
    );
  };
}
