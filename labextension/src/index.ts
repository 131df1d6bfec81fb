/**
 * The mesotherapy course in JupyterLab: a launcher section with a card per module, a
 * side panel with each module's standing, and palette commands to open a module or
 * continue. Everything it shows comes from the course API of the server extension.
 */
import { ILabShell, ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification, showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import {
  CourseAPIError,
  ICourse,
  IModuleStatus,
  IProgress,
  fetchContinue,
  fetchCourse,
  openNotebook
} from './api';
import { CoursePanel } from './panel';
import { ringIcon } from './ring';
import { ringShare, shortState } from './standing';

const CATEGORY = 'Mesotherapy course';
const OPEN = 'meso-training:open-module';
const CONTINUE = 'meso-training:continue';
/** How often the panel reads the progress while nothing else prompts it (answers in another tab, say). */
const POLL_MS = 15_000;
/** A kernel goes idle many times while a notebook runs; one refresh follows the last of them. */
const SETTLE_MS = 700;

function said(error: unknown): string {
  return error instanceof CourseAPIError ? error.message : String(error);
}

async function activate(
  app: JupyterFrontEnd,
  launcher: ILauncher | null,
  palette: ICommandPalette | null,
  tracker: INotebookTracker | null,
  restorer: ILayoutRestorer | null,
  labShell: ILabShell | null
): Promise<void> {
  let course: ICourse | null = null;
  const standing = new Map<string, IModuleStatus>();

  const open = async (moduleId: string, mode: 'practice' | 'assessment'): Promise<void> => {
    try {
      const opened = await openNotebook(moduleId, mode);
      if (opened.copied) {
        Notification.info(
          `The course notebook was read-only, so a copy was made for you: ${opened.notebook}. Your answers are saved either way.`,
          { autoClose: 8000 }
        );
      }
      await app.commands.execute('docmanager:open', { path: opened.notebook });
    } catch (error) {
      await showErrorMessage('Cannot open the module', said(error));
    }
  };
  const moduleOf = (id: string) => course?.modules.find(m => m.id === id);

  const panel = new CoursePanel(
    () => course,
    {
      openModule: id => open(id, 'practice'),
      openAssessment: id => open(id, 'assessment'),
      continueCourse: () => app.commands.execute(CONTINUE) as Promise<void>
    },
    (progress: IProgress) => {
      standing.clear();
      for (const status of progress.modules) {
        standing.set(status.id, status);
        ringIcon(status.id, ringShare(status));
      }
      app.commands.notifyCommandChanged(OPEN);
    }
  );
  panel.title.icon = ringIcon('course', 0.75);

  app.commands.addCommand(OPEN, {
    label: args => {
      const title = moduleOf(String(args.module))?.title ?? String(args.module);
      return args.palette ? `${CATEGORY}: open ${title}` : title;
    },
    caption: args => {
      const status = standing.get(String(args.module));
      const state = status ? shortState(status) : '';
      return [moduleOf(String(args.module))?.description ?? '', state].filter(Boolean).join(' — ');
    },
    icon: args => (args.palette ? undefined : ringIcon(String(args.module), ringShare(standing.get(String(args.module))))),
    execute: args => open(String(args.module), 'practice')
  });
  app.commands.addCommand(CONTINUE, {
    label: `${CATEGORY}: continue`,
    caption: 'Open the module with the next unanswered item',
    execute: async () => {
      try {
        const next = await fetchContinue();
        if (next.done) {
          await showErrorMessage('Course finished', 'Every module is finished: there is nothing left to continue.');
          return;
        }
        if (next.module) {
          await open(next.module, 'practice');
        }
      } catch (error) {
        await showErrorMessage('Cannot continue', said(error));
      }
    }
  });
  palette?.addItem({ command: CONTINUE, category: CATEGORY });

  app.shell.add(panel, 'left', { rank: 600 });
  restorer?.add(panel, 'meso-training-panel');

  try {
    course = await fetchCourse();
  } catch (error) {
    console.error(`meso-training: the course could not be read: ${said(error)}`);
  }
  course?.modules.forEach((module, rank) => {
    launcher?.add({ command: OPEN, args: { module: module.id }, category: CATEGORY, rank });
    palette?.addItem({ command: OPEN, args: { module: module.id, palette: true }, category: CATEGORY });
  });

  // Answers are recorded by the kernel: when a notebook's kernel settles, read the progress again.
  let settle: number | undefined;
  const soon = () => {
    window.clearTimeout(settle);
    settle = window.setTimeout(() => void panel.refresh(), SETTLE_MS);
  };
  tracker?.widgetAdded.connect((_, notebook: NotebookPanel) => {
    notebook.sessionContext.statusChanged.connect((_, status) => {
      if (status === 'idle') {
        soon();
      }
    });
  });
  labShell?.currentChanged.connect(soon);
  window.setInterval(() => void panel.refresh(), POLL_MS);
  await panel.refresh();
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'meso-training-labextension:plugin',
  description: 'Launcher cards, a progress side panel and palette commands for the mesotherapy course.',
  autoStart: true,
  optional: [ILauncher, ICommandPalette, INotebookTracker, ILayoutRestorer, ILabShell],
  activate
};

export default plugin;
