export * from './host';
export * from './server';
export * from './context';
export * from './features';
export * from './registry';
export * from './compose';
export * from './subgraph-services';
