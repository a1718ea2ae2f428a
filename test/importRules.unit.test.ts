import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repositoryRoot as root, sourceFiles } from './harness/sourceTree.ts';

/**
 * The import rules of docs/architecture.md#the-import-rules: the kernel
 * imports nothing of the project; the hub only the kernel; the UI the kernel
 * and the API contract (gateway/http/apiContract.ts, whose types are derived
 * from the reply schemas under gateway/http/contract/: the UI may import
 * those too, since the contract itself imports only the kernel and its own
 * schema files, checked below); drivers and sync the kernel and the gateway's
 * plug-in interface (gateway/pluginApi.ts); the gateway, which hosts them, the
 * kernel, drivers and sync; the `nilecare` entry only the command groups it
 * composes.
 */
const rules: Record<string, readonly string[]> = {
  kernel: ['kernel/'],
  hub: ['kernel/', 'hub/'],
  ui: ['kernel/', 'ui/', 'gateway/http/apiContract.ts', 'gateway/http/contract/'],
  drivers: ['kernel/', 'drivers/', 'gateway/pluginApi.ts'],
  sync: ['kernel/', 'sync/', 'gateway/pluginApi.ts'],
  gateway: ['kernel/', 'gateway/', 'drivers/', 'sync/'],
  cli: ['kernel/', 'cli/', 'gateway/cli/gatewayCommands.ts', 'hub/cli/hubCommands.ts'],
};

interface SourceImports {
  /** Repository-relative path of the importing file. */
  file: string;
  /** Repository-relative paths of the project files it imports (packages left out). */
  imports: string[];
}

interface Violation {
  file: string;
  imports: string;
}

/** Every import that breaks a rule: the importing file's top folder does not allow the imported path. */
function violations(sources: readonly SourceImports[]): Violation[] {
  return sources.flatMap(({ file, imports }) => {
    const allowed = rules[file.split('/')[0] ?? ''];
    if (!allowed) return [];
    return imports
      .filter((target) => !allowed.some((prefix) => target === prefix || target.startsWith(prefix)))
      .map((target) => ({ file, imports: target }));
  });
}

/** Static, dynamic and type-only imports and re-exports, as TypeScript's own pre-processor finds them. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, join(root, dirname(file), specifier)));
}

const tree: SourceImports[] = Object.keys(rules).flatMap((folder) =>
  sourceFiles(folder).map((file) => ({ file, imports: importsOf(file) })),
);

describe('the import rules', () => {
  it('reads every side of the project and finds their imports', () => {
    for (const folder of Object.keys(rules)) {
      expect(tree.filter(({ file }) => file.startsWith(`${folder}/`)).length, folder).toBeGreaterThan(0);
    }
    expect(
      tree.flatMap(({ imports }) => imports).filter((path) => path.startsWith('kernel/')).length,
    ).toBeGreaterThan(100);
  });

  it('hold over the whole tree', () => {
    expect(violations(tree)).toEqual([]);
  });

  it('keep the API contract free of server code: it imports only the kernel and its own schema files', () => {
    const contract = tree.filter(
      ({ file }) => file === 'gateway/http/apiContract.ts' || file.startsWith('gateway/http/contract/'),
    );
    expect(contract.length).toBeGreaterThan(1);
    const outside = contract.flatMap(({ file, imports }) =>
      imports
        .filter((target) => !target.startsWith('kernel/') && !target.startsWith('gateway/http/contract/'))
        .map((target) => ({ file, imports: target })),
    );
    expect(outside).toEqual([]);
  });

  it('catch a hub file reaching into the gateway, a kernel file importing the hub, and sync going around the plug-in interface', () => {
    const broken: SourceImports[] = [
      {
        file: 'hub/services/fhir/fhirService.ts',
        imports: ['gateway/phi/fieldCipher.ts', 'kernel/events/envelope.ts'],
      },
      { file: 'kernel/events/envelope.ts', imports: ['hub/errors.ts'] },
      { file: 'sync/syncEngine.ts', imports: ['gateway/eventStore/eventLog.ts', 'gateway/pluginApi.ts'] },
      { file: 'ui/src/model.ts', imports: ['gateway/projections/alerts.ts'] },
      { file: 'test/anything.unit.test.ts', imports: ['gateway/eventStore/eventLog.ts'] },
    ];
    expect(violations(broken)).toEqual([
      { file: 'hub/services/fhir/fhirService.ts', imports: 'gateway/phi/fieldCipher.ts' },
      { file: 'kernel/events/envelope.ts', imports: 'hub/errors.ts' },
      { file: 'sync/syncEngine.ts', imports: 'gateway/eventStore/eventLog.ts' },
      { file: 'ui/src/model.ts', imports: 'gateway/projections/alerts.ts' },
    ]);
  });

  it('see a violation written into a real source file of the tree', () => {
    const file = 'hub/services/fhir/fhirService.ts';
    const source = `${readFileSync(join(root, file), 'utf8')}\nexport { openGatewayStore } from '../../../gateway/openGatewayStore.ts';\n`;
    const { importedFiles } = ts.preProcessFile(source, true, true);
    const imports = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(root, join(root, dirname(file), specifier)));
    expect(violations([{ file, imports }])).toEqual([{ file, imports: 'gateway/openGatewayStore.ts' }]);
  });
});
