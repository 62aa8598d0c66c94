export * from './auth';
export * from './common';
export * from './customers';
export * from './fields';
export * from './health';
export * from './notifications';
export * from './teams';
export * from './tickets';
