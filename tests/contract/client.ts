// A small integration client typed by the generated contract
// (openapi-typescript → generated/cchc-api.d.ts): it logs in, takes the
// session's CSRF token, lists the plans and units, reads a task of its unit
// and posts a progress update. tests/contract/run.mjs type-checks it with
// tsc --noEmit, then compiles and runs it against a live server.
import type { components, paths } from './generated/cchc-api';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type LoginBody = Json<paths['/api/v1/session']['post']['requestBody']>;
type Session = Json<paths['/api/v1/session']['post']['responses'][200]>;
type PlanList = Json<paths['/api/v1/plans']['get']['responses'][200]>;
type UnitList = Json<paths['/api/v1/units']['get']['responses'][200]>;
type TaskPage = Json<paths['/api/v1/plans/{id}/tasks']['get']['responses'][200]>;
type Task = components['schemas']['Task'];
type UpdateBody = Json<paths['/api/v1/tasks/{id}/updates']['post']['requestBody']>;
type UpdateResult = Json<paths['/api/v1/tasks/{id}/updates']['post']['responses'][201]>;
type ApiError = components['schemas']['Error'];
type Intake = Json<paths['/api/v1/dossiers']['post']['requestBody']>;
type Dossier = components['schemas']['Dossier'];

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const base = process.env.CCHC_URL ?? 'http://127.0.0.1:8080';
const jar = new Map<string, string>();   // the cookies the server set: cchc_session, cchc_device
let csrf = '';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = (pair ?? '').indexOf('=');
    if (eq > 0) jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  const data: unknown = res.status === 204 ? {} : await res.json();
  if (!res.ok) {
    const e = data as ApiError;
    throw new Error(`${method} ${path}: ${res.status} ${e.error.code}: ${e.error.message}`);
  }
  return data as T;
}

async function main(): Promise<void> {
  const login: LoginBody = { username: process.env.CCHC_USER ?? 'thanhtra', password: process.env.CCHC_PASSWORD ?? '' };
  const session = await call<Session>('POST', '/api/v1/session', login);
  csrf = session.csrf_token;
  const role: Session['user']['role'] = session.user.role;

  const { plans } = await call<PlanList>('GET', '/api/v1/plans');
  const plan = plans.find((p) => p.code === 'KH2022') ?? plans[0];
  const { units } = await call<UnitList>('GET', '/api/v1/units');
  const unit = units.find((u) => u.code === (process.env.CCHC_UNIT ?? 'TTRA'));
  if (!plan || !unit) throw new Error('no plan or unit');

  const page = await call<TaskPage>('GET', `/api/v1/plans/${plan.id}/tasks?unit=${unit.id}`);
  const first = page.tasks[0];
  if (!first) throw new Error(`unit ${unit.code} leads no task of ${plan.code}`);
  const task = await call<Task>('GET', `/api/v1/tasks/${first.id}`);
  const due: string | null = task.deadline.due;

  const update: UpdateBody = { status: 'in_progress', percent: 60, note: 'Cập nhật từ client TypeScript' };
  const result = await call<UpdateResult>('POST', `/api/v1/tasks/${task.id}/updates`, update);
  if (result.task.percent !== 60 || result.task.status !== 'in_progress') throw new Error('the update did not take');
  console.log(`client: ${role} ${session.user.username} updated task ${task.number} of ${plan.code} (due ${due ?? '—'}), update ${result.update_id}`);

  // The one-stop officer receives a dossier, then looks it up by its code.
  await call<unknown>('DELETE', '/api/v1/session');
  jar.clear();
  const officer = await call<Session>('POST', '/api/v1/session',
    { username: process.env.CCHC_ONESTOP_USER ?? 'motcua', password: process.env.CCHC_ONESTOP_PASSWORD ?? '' } satisfies LoginBody);
  csrf = officer.csrf_token;
  const intake: Intake = { procedure: process.env.CCHC_PROCEDURE ?? '2.001914', channel: 'counter',
                           applicant: { name: 'Nguyễn Văn An', id_number: '031203004567' }, components: [{ component_id: 1 }] };
  const received = await call<Dossier>('POST', '/api/v1/dossiers', intake);
  const found = await call<Dossier>('GET', `/api/v1/dossiers/${encodeURIComponent(received.code)}`);
  const status: number = found.portal_status;
  if (found.state !== 'received' || found.code !== received.code) throw new Error('the dossier lookup did not match');
  console.log(`client: ${officer.user.role} received dossier ${found.code} (${found.state_label}, portal status ${status}, due ${found.due_at})`);
}

main().catch((e: unknown) => { console.error(`client: ${e instanceof Error ? e.message : String(e)}`); process.exit(1); });
