export * from './host';
export * from './server';
export * from './context';
export * from './features';
export * from './subgraphs';
export * from './compose';
export * from './subgraph-services';
