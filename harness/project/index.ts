export { project, chooseProject, baseNamed, homeProject, useTree } from './current.js';
export { loadProject, findProjectRoot, PROJECT_FILE, type Project, type Version } from './load.js';
export { defects, defectsFor, type Defect } from './defects.js';
