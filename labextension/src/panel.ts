/**
 * The left side panel: every module with its standing, a Continue button and a refresh
 * button. Plain DOM in a Lumino widget (no React): the list is small and redrawn whole,
 * and real <button>s keep it usable with the keyboard alone.
 */
import { Widget } from '@lumino/widgets';

import { CourseAPIError, ICourse, IModuleStatus, IProgress, fetchProgress } from './api';
import { assessmentWords, practiceWords, shortState } from './standing';

export interface IPanelActions {
  openModule(moduleId: string): Promise<void>;
  openAssessment(moduleId: string): Promise<void>;
  continueCourse(): Promise<void>;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function button(className: string, text: string, label: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', `jp-Button ${className}`, text);
  node.type = 'button';
  node.setAttribute('aria-label', label);
  node.addEventListener('click', onClick);
  return node;
}

export class CoursePanel extends Widget {
  constructor(
    private readonly course: () => ICourse | null,
    private readonly actions: IPanelActions,
    private readonly progressChanged: (progress: IProgress) => void
  ) {
    super();
    this.id = 'meso-training-panel';
    this.addClass('meso-panel');
    this.title.caption = 'Mesotherapy course';
    const header = element('div', 'meso-panel-header');
    header.append(element('h2', 'meso-panel-title', 'Mesotherapy course'));
    this.trainee = element('p', 'meso-panel-trainee');
    header.append(this.trainee);
    const controls = element('div', 'meso-panel-controls');
    controls.append(
      button('jp-mod-styled jp-mod-accept meso-panel-continue', 'Continue', 'Continue the course where you left it', () => {
        void this.actions.continueCourse();
      }),
      button('jp-mod-styled jp-mod-reject meso-panel-refresh', 'Refresh', 'Refresh the progress shown', () => {
        void this.refresh();
      })
    );
    header.append(controls);
    this.message = element('p', 'meso-panel-message');
    this.message.setAttribute('role', 'status');
    this.list = element('ul', 'meso-panel-modules');
    this.node.append(header, this.message, this.list);
  }

  /** Reads the progress again and redraws; a refresh already under way is reused. */
  refresh(): Promise<void> {
    if (!this.pending) {
      this.pending = this.load().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async load(): Promise<void> {
    try {
      const progress = await fetchProgress();
      this.draw(progress);
      this.message.textContent = '';
      this.progressChanged(progress);
    } catch (error) {
      const said = error instanceof CourseAPIError ? error.message : String(error);
      this.message.textContent = `Progress could not be read: ${said}`;
    }
  }

  private draw(progress: IProgress): void {
    this.trainee.textContent = progress.trainee ? `Answering as ${progress.trainee}` : '';
    const course = this.course();
    const rows = progress.modules.map(status => this.row(status, course));
    this.list.replaceChildren(...rows);
  }

  private row(status: IModuleStatus, course: ICourse | null): HTMLLIElement {
    const known = course?.modules.find(m => m.id === status.id);
    const row = element('li', 'meso-panel-module');
    row.dataset.module = status.id;
    const title = button('meso-panel-open', status.title, `Open ${status.title}`, () => {
      void this.actions.openModule(status.id);
    });
    row.append(title, element('span', 'meso-panel-state', shortState(status)));
    row.append(element('p', 'meso-panel-practice', practiceWords(status)));
    const assessment = assessmentWords(status.assessment);
    if (assessment) {
      row.append(element('p', 'meso-panel-assessment', assessment));
    }
    if (status.certificate) {
      const line = element('p', 'meso-panel-certificate', 'Certificate: verification code ');
      line.append(element('code', 'meso-panel-code', status.certificate.code));
      row.append(line);
    }
    if (known?.assessment_notebook) {
      const words = status.certificate ? 'See the certificate' : 'Open the assessment';
      row.append(
        button('jp-mod-styled meso-panel-assessment-open', words, `${words}: ${status.title}`, () => {
          void this.actions.openAssessment(status.id);
        })
      );
    }
    return row;
  }

  private readonly trainee: HTMLParagraphElement;
  private readonly message: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private pending: Promise<void> | null = null;
}
