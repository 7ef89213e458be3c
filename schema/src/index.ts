export * from './compose-lib';
