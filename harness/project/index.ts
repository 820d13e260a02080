export { project, chooseProject, baseNamed } from './current.js';
export { loadProject, findProjectRoot, PROJECT_FILE, type Project, type Version } from './load.js';
export { defects, defectsFor, type Defect } from './defects.js';
