/**
 * `npm start`: the whole platform on this machine, persisted under `.data/`. Ctrl-C (SIGINT) or SIGTERM
 * stops everything it started, DynamoDB Local's java included.
 */
import { join } from 'node:path';
import { DEMO_STAFF } from './demo-city.ts';
import { REPO_ROOT, startPlatform } from './platform.ts';
import { ensureWebAppBuilt, WEB_APPS } from './web-apps.ts';

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return value;
};

async function main() {
  const started = Date.now();
  const dataDir = process.env.CITYGRID_DATA_DIR ?? join(REPO_ROOT, '.data');
  // The web apps are built once (again only when their sources changed), before anything listens.
  // CITYGRID_SKIP_WEB_BUILD=1 serves whatever is built (runs that need only the API, e.g. the crash test).
  if (process.env.CITYGRID_SKIP_WEB_BUILD !== '1') for (const app of WEB_APPS) await ensureWebAppBuilt(REPO_ROOT, app);
  const platform = await startPlatform({
    port: port('PORT', 3000),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    s3Port: port('S3_PORT', 4569),
    dataDir,
    onRequest: (line) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping CityGrid…`);
    await platform.stop();
    console.log('Stopped: gateway, s3rver and DynamoDB Local are down.');
    process.exit(0);
  };
  // SIGUSR2 pauses or resumes the event processor: stream records wait, as behind a disabled event
  // source mapping (to watch a backlog build up, or to try the crash guarantee: docs/operations.md).
  let eventsPaused = false;
  process.on('SIGUSR2', () => {
    eventsPaused = !eventsPaused;
    if (eventsPaused) platform.events.pause();
    else platform.events.resume();
    console.log(`SIGUSR2: event processor ${eventsPaused ? 'paused' : 'resumed'}`);
  });
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`
CityGrid is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API             ${platform.url}            try: curl ${platform.url}/v1/health
  OpenAPI         ${platform.url}/v1/openapi.json
  Console         ${platform.url}/console/   command center (坐席/派遣/处置/领导), log in as a demo staff phone
  Mobile page     ${platform.url}/m/            citizens' H5 page (register, report, my cases)
  Outbox          ${platform.url}/dev/outbox   (SMS, case-events, hotline callbacks)
  Step Functions  ${platform.stepFunctions.endpoint}  escalation timers (${platform.stepFunctions.executions.size} resumed)
  DynamoDB Local  ${platform.dynamoEndpoint}  table ${platform.tableName} (${platform.createdTable ? 'created now, demo city loaded' : 'existing data'})
  S3 (s3rver)     ${platform.s3Endpoint}  bucket ${platform.bucket}
  Data folder     ${dataDir}

  Demo staff (log in with an SMS code; codes appear in /dev/outbox):
${DEMO_STAFF.map((s) => `    ${s.phone}  ${s.roles.join(',').padEnd(10)} ${s.displayName}`).join('\n')}

  Local secrets (also in ${join(dataDir, 'local.env')}):
    HOTLINE_WEBHOOK_SECRET=${platform.secrets.HOTLINE_WEBHOOK_SECRET}
    HOTLINE_CALLBACK_SECRET=${platform.secrets.HOTLINE_CALLBACK_SECRET}   (verifies our callbacks)
    callbacks go to ${process.env.HOTLINE_CALLBACK_URL}
    OPEN311_API_KEY=${platform.secrets.OPEN311_API_KEY}

Ctrl-C stops everything.
`);
}

main().catch((error: Error) => {
  console.error(`CityGrid could not start: ${error.message}`);
  process.exit(1);
});
