//! The command layer the window imports, generated from the commands' Rust signatures.
//!
//! Each command is written once, as a function under `#[fichier_ipc_macros::command]`
//! (which also describes its signature), and listed once, in `commands::all!`. From those,
//! `ui/src/lib/backend/commands.ts` is rendered: the `Commands` interface the UI's backend
//! implements (one method per command, its documentation taken from the Rust doc
//! comment), a wrapper over `invoke`, and the table of argument names the browser suite's
//! mocked IPC uses. A test fails when the checked-in file drifts; rewrite it with
//! `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`.

use std::collections::BTreeSet;

/// Where the generated file lives, from the workspace root.
pub const COMMANDS_PATH: &str = "ui/src/lib/backend/commands.ts";

/// One argument the window passes.
pub struct Arg {
    /// As Tauri expects it: camelCase.
    pub name: &'static str,
    pub ts: String,
    /// `Option<T>` in Rust: the window may leave it out.
    pub optional: bool,
}

/// What `#[command]` knows of a command.
pub struct Signature {
    pub name: &'static str,
    /// The method in TypeScript: `list_folder` → `listFolder`.
    pub method: &'static str,
    pub doc: &'static str,
    pub args: Vec<Arg>,
    pub returns: String,
}

impl Signature {
    /// `folderId: number, force?: boolean`; an optional argument followed by a required
    /// one is `T | undefined` instead.
    fn params(&self) -> String {
        let mut parts = Vec::new();
        for (i, a) in self.args.iter().enumerate() {
            let rest_optional = self.args[i..].iter().all(|a| a.optional);
            parts.push(match (a.optional, rest_optional) {
                (true, true) => format!("{}?: {}", a.name, a.ts),
                (true, false) => format!("{}: {} | undefined", a.name, a.ts),
                _ => format!("{}: {}", a.name, a.ts),
            });
        }
        parts.join(", ")
    }

    fn arg_names(&self) -> String {
        self.args
            .iter()
            .map(|a| a.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn jsdoc(doc: &str, indent: &str) -> String {
    if doc.is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", lines[0]);
    }
    let mut out = format!("{indent}/**\n");
    for l in lines {
        if l.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {l}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// The TypeScript identifiers a type expression uses, among those `bindings.ts` exports.
fn used_names(ts: &str, exported: &BTreeSet<String>, into: &mut BTreeSet<String>) {
    for word in ts.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if exported.contains(word) {
            into.insert(word.to_string());
        }
    }
}

/// The whole generated file; `exported` are the type names `bindings.ts` declares.
pub fn render(signatures: &[Signature], exported: &BTreeSet<String>) -> String {
    let mut imports = BTreeSet::new();
    for s in signatures {
        used_names(&s.returns, exported, &mut imports);
        for a in &s.args {
            used_names(&a.ts, exported, &mut imports);
        }
    }
    let uses_channel = signatures
        .iter()
        .any(|s| s.args.iter().any(|a| a.ts.starts_with("Channel<")));
    let mut out = String::from(
        "// Generated from the commands' Rust signatures (src-tauri/src/commands, rendered by\n\
         // src-tauri/src/ipc.rs). Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing a command.\n",
    );
    if uses_channel {
        out.push_str("import type { Channel } from '@tauri-apps/api/core';\n");
    }
    out.push_str(&format!(
        "import type {{ {} }} from './bindings';\n\n",
        imports.into_iter().collect::<Vec<_>>().join(", ")
    ));

    out.push_str("/** Every command, with the names of its arguments in order. */\nexport const COMMANDS = {\n");
    for s in signatures {
        let names: Vec<String> = s.args.iter().map(|a| format!("'{}'", a.name)).collect();
        out.push_str(&format!("  {}: [{}],\n", s.name, names.join(", ")));
    }
    out.push_str("} as const;\n\nexport type CommandName = keyof typeof COMMANDS;\n\n");

    out.push_str("/** The method that calls each command. */\nexport const METHODS = {\n");
    for s in signatures {
        out.push_str(&format!("  {}: '{}',\n", s.name, s.method));
    }
    out.push_str("} as const satisfies Record<CommandName, keyof Commands>;\n\n");

    out.push_str("/** The commands as methods: `listFolder(folderId, force?)` calls `list_folder`. */\nexport interface Commands {\n");
    for s in signatures {
        out.push_str(&jsdoc(s.doc, "  "));
        out.push_str(&format!(
            "  {}({}): Promise<{}>;\n",
            s.method,
            s.params(),
            s.returns
        ));
    }
    out.push_str("}\n\n");

    out.push_str(
        "/** The commands over an `invoke`, each passing its arguments by name. */\n\
         export function commandsOver(invoke: (command: CommandName, args: Record<string, unknown>) => Promise<unknown>): Commands {\n  return {\n",
    );
    for s in signatures {
        out.push_str(&format!(
            "    {}: ({}) => invoke('{}', {{ {} }}) as Promise<{}>,\n",
            s.method,
            s.params(),
            s.name,
            s.arg_names(),
            s.returns
        ));
    }
    out.push_str("  };\n}\n");
    out.replace("{  }", "{}")
}
