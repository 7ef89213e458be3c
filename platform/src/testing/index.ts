export * from './database';
export * from './domain-roles';
