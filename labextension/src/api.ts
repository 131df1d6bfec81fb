/**
 * The course API of meso_training.server_extension, read through JupyterLab's own
 * ServerConnection so the token and the XSRF cookie go with every request.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export interface ICourseModule {
  id: string;
  title: string;
  description: string;
  objectives: string[];
  items: number;
  questions: number;
  notebook: string | null;
  assessment_notebook: string | null;
}

export interface ICourse {
  title: string;
  modules: ICourseModule[];
}

export interface IPractice {
  done: number;
  items: number;
  finished: boolean;
  answered: number;
  questions: number;
  mastery: number;
  next_item: string | null;
}

export interface IAssessment {
  done: number;
  items: number;
  complete: boolean;
  passed: boolean;
  score: number;
  pass_mark: number;
  critical_errors: number;
  finished_at: string | null;
}

export interface ICertificate {
  code: string;
  issued_at: string;
  score: number;
}

export interface IModuleStatus {
  id: string;
  title: string;
  started: boolean;
  practice: IPractice;
  assessment: IAssessment | null;
  certificate: ICertificate | null;
}

export interface IProgress {
  trainee: string;
  modules: IModuleStatus[];
}

export interface IContinue {
  trainee: string;
  done: boolean;
  module: string | null;
  title?: string;
  item: string | null;
  notebook: string | null;
}

/** A request the course API refused, with the message it gave (a broken progress file, say). */
export class CourseAPIError extends Error {}

export interface IOpened {
  module: string;
  mode: 'practice' | 'assessment';
  notebook: string;
  copied: boolean;
}

async function requestJSON<T>(path: string, init: RequestInit = {}): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'meso-training', 'api', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new CourseAPIError(`The course server could not be reached (${String(error)}).`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const said = body && typeof body.error === 'string' ? body.error : response.statusText;
    throw new CourseAPIError(said);
  }
  return body as T;
}

export function fetchCourse(): Promise<ICourse> {
  return requestJSON<ICourse>('course');
}

export function fetchProgress(): Promise<IProgress> {
  return requestJSON<IProgress>('progress');
}

export function fetchContinue(): Promise<IContinue> {
  return requestJSON<IContinue>('continue');
}

/** A notebook of the module the trainee can save: the served one, or a copy when that one is read-only. */
export function openNotebook(moduleId: string, mode: 'practice' | 'assessment'): Promise<IOpened> {
  return requestJSON<IOpened>(`open/${encodeURIComponent(moduleId)}`, {
    method: 'POST',
    body: JSON.stringify({ mode })
  });
}
