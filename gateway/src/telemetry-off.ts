// Imported before anything from @apollo/gateway: its constructor otherwise starts an
// OpenTelemetry meter that reports usage to Apollo and probes cloud-metadata addresses.
// Our platform never phones home unless someone explicitly turns this back on.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
export {};
