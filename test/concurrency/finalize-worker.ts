// A child process for finalize-race.test.ts: one finalize (hand-off complete) of a waiting request,
// printing {"ok":true} or the error's code.
import { FileHandOff } from '../../src/core/app/hand-off.ts';

const [dir, requestId, endpointId] = process.argv.slice(2);
if (!dir || !requestId || !endpointId) throw new Error('usage: finalize-worker DIR REQUEST_ID ENDPOINT_ID');
try {
  await new FileHandOff(dir).complete(requestId, { endpointId });
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: (error as { code?: string }).code ?? String(error) }));
}
