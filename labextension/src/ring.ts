/**
 * The progress ring on each launcher card: an SVG drawn from the share of practice
 * finished, coloured with JupyterLab's theme variables so light and dark themes both read.
 */
import { LabIcon } from '@jupyterlab/ui-components';

const RADIUS = 15;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

export function ringSvg(share: number): string {
  const clamped = Math.max(0, Math.min(1, share));
  const filled = (clamped * CIRCUMFERENCE).toFixed(2);
  // LabIcon URI-decodes its SVG text, so a bare percent sign would break it.
  const label = `${Math.round(clamped * 100)}&#37;`;
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="52" viewBox="0 0 40 40">' +
    `<circle cx="20" cy="20" r="${RADIUS}" fill="none" stroke="var(--jp-layout-color3)" stroke-width="4"/>` +
    `<circle cx="20" cy="20" r="${RADIUS}" fill="none" stroke="var(--jp-brand-color1)" stroke-width="4" ` +
    `stroke-dasharray="${filled} ${CIRCUMFERENCE.toFixed(2)}" transform="rotate(-90 20 20)"/>` +
    `<text x="20" y="24" text-anchor="middle" font-size="10" fill="var(--jp-ui-font-color1)">${label}</text>` +
    '</svg>'
  );
}

const icons = new Map<string, LabIcon>();

/** One icon per module, redrawn in place (LabIcon keeps a registry by name) as progress moves. */
export function ringIcon(moduleId: string, share: number): LabIcon {
  const svgstr = ringSvg(share);
  const known = icons.get(moduleId);
  if (known) {
    known.svgstr = svgstr;
    return known;
  }
  const icon = new LabIcon({ name: `meso-training:ring-${moduleId}`, svgstr });
  icons.set(moduleId, icon);
  return icon;
}
