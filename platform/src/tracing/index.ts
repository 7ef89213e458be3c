// Traces (off unless an exporter is configured), the request scope log lines read the operation
// from, and the slow query / slow fetch logs.
export * from './tracing';
export * from './request-scope';
export * from './slow-log';
export * from './from-config';
