// One modal at a time, opened with a promise that resolves with the answer.
export interface FormField {
  name: string;
  label: string;
  /** `info` is a line of text (`label`); `link` a read-only link (`value`) with a copy button. */
  kind: 'text' | 'password' | 'checkbox' | 'textarea' | 'info' | 'link';
  value?: string | boolean;
  hint?: string;
  placeholder?: string;
  /** A file name: focus selects the name without its extension. */
  selectBase?: boolean;
  /** Text fields: the confirm button stays disabled while this one is blank. */
  required?: boolean;
  /** Disabled (and ignored) while the checkbox of this name is checked. */
  disabledBy?: string;
  /** The icon before an `info` line. */
  icon?: string;
  testid?: string;
}

export type FormValues = Record<string, string | boolean>;

/** A folder chosen in the picker, with its name as the picker showed it. */
export interface PickedFolder {
  id: number;
  name: string;
}

export type DialogSpec =
  | {
      type: 'form';
      title: string;
      body?: string;
      note?: string;
      fields: FormField[];
      confirmLabel: string;
      danger?: boolean;
      /** Returns an error text to keep the dialog open. */
      validate?: (v: FormValues) => string | null;
      /** Carries the answer out while the dialog stays open; an error text keeps it open
       * with what was typed, shown next to the fields. */
      apply?: (v: FormValues) => Promise<string | null>;
      resolve: (v: FormValues | null) => void;
    }
  | {
      type: 'folder';
      title: string;
      confirmLabel: string;
      exclude: number[];
      start: number;
      /** The folder the items are in: moving there would do nothing, so it can't be chosen. */
      here?: number;
      /** The confirm button naming the chosen folder ("Move to “Work”"). */
      into?: (name: string) => string;
      resolve: (picked: PickedFolder | null) => void;
    }
  | { type: 'link'; title: string; body?: string; link: string; resolve: (v: null) => void };

type Open<T extends DialogSpec> = Omit<T, 'resolve' | 'type'>;

class Dialogs {
  current = $state.raw<DialogSpec | null>(null);

  form(spec: Open<Extract<DialogSpec, { type: 'form' }>>): Promise<FormValues | null> {
    return new Promise((resolve) => {
      this.current = { type: 'form', ...spec, resolve: (v) => { this.current = null; resolve(v); } };
    });
  }

  async confirm(title: string, body: string, confirmLabel: string, danger = false): Promise<boolean> {
    return (await this.form({ title, body, fields: [], confirmLabel, danger })) !== null;
  }

  /**
   * Asks for one line of text. With `apply`, the dialog stays open until it succeeds, and
   * its error (say, a name 1fichier refuses) is shown under the field with the text kept.
   */
  async prompt(
    title: string,
    label: string,
    value: string,
    confirmLabel: string,
    opts: { selectBase?: boolean; emptyText?: string; apply?: (value: string) => Promise<string | null> } = {},
  ): Promise<string | null> {
    const apply = opts.apply;
    const v = await this.form({
      title, confirmLabel, fields: [{ name: 'value', label, kind: 'text', value, selectBase: opts.selectBase, required: true }],
      validate: (x) => (String(x.value).trim() ? null : (opts.emptyText ?? label)),
      apply: apply ? (x) => apply(String(x.value).trim()) : undefined,
    });
    return v ? String(v.value).trim() : null;
  }

  pickFolder(
    title: string,
    confirmLabel: string,
    start: number,
    exclude: number[] = [],
    opts: { here?: number; into?: (name: string) => string } = {},
  ): Promise<PickedFolder | null> {
    return new Promise((resolve) => {
      this.current = { type: 'folder', title, confirmLabel, start, exclude, ...opts, resolve: (v) => { this.current = null; resolve(v); } };
    });
  }

  showLink(title: string, link: string, body?: string): Promise<null> {
    return new Promise((resolve) => {
      this.current = { type: 'link', title, link, body, resolve: () => { this.current = null; resolve(null); } };
    });
  }

  cancel(): void {
    const c = this.current;
    if (!c) return;
    if (c.type === 'link') c.resolve(null);
    else c.resolve(null as never);
  }
}

export const dialogs = new Dialogs();
