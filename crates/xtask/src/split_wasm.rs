//! Splits the worker's wasm in two: what a visit runs before its first
//! answers (the primary module, fetched first), and the rest (the
//! secondary module, fetched after the first answer, or read at once when
//! the primary calls into it sooner).
//!
//! The primary keeps every function, so every call, table entry and export
//! stays where it was; a function moved out keeps its index there as a
//! stub, which loads the secondary module if it has not come yet (through
//! its import [`LOAD`]) and calls the real body through a table of its own
//! ([`TABLE`]), which the secondary module's element segment fills when it
//! is instantiated. The secondary module imports the primary's memory,
//! tables, globals and the functions its bodies call (exported by the
//! primary under short names), and the glue's imports under their own
//! names: one instance of the program, in two files.
//!
//! Which functions are the first answer's is measured, not guessed:
//! [`instrument`] makes a build that marks each function the first time it
//! runs, `tests/e2e/profile-split.mjs` drives it through first visits in
//! Chromium, and the marked functions' names are kept in the repository
//! (`crates/worker/first-answer.txt`). A function the list does not name
//! (new code, renamed code) goes to the secondary module: slower the first
//! time it runs before the first answer, never wrong.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use walrus::ir::{self, Visitor};
use walrus::{
    ConstExpr, ElementItems, ElementKind, FunctionId, FunctionKind, GlobalId, GlobalKind,
    ImportKind, ImportedFunction, LocalFunction, MemoryId, Module, RefType, TableId, ValType,
};

/// The import namespace of what the split adds (also the profile's).
pub const NAMESPACE: &str = "hc_split";
/// The primary's import that loads the secondary module (no arguments).
pub const LOAD: &str = "load";
/// The primary's export of the table the secondary module fills.
pub const TABLE: &str = "hc_split_table";
/// The primary's export of the global that says the secondary is in.
pub const LOADED: &str = "hc_split_loaded";
/// The secondary module's import namespace for the primary's exports.
pub const PRIMARY: &str = "p";
/// The instrumented build's import, called with a function's ordinal.
pub const MARK: &str = "mark";

/// A function's name as the list keeps it: without the hashes rustc and
/// the toolchain put in symbols (`::h0123456789abcdef`, `core[0123456789abcdef]`),
/// which change with a crate's version or the toolchain's, not its code.
fn unhashed(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while !rest.is_empty() {
        let hex16 = |s: &str| s.len() >= 16 && s.as_bytes()[..16].iter().all(u8::is_ascii_hexdigit);
        if let Some(after) = rest.strip_prefix("::h").filter(|a| hex16(a)) {
            rest = &after[16..];
        } else if let Some(after) = rest
            .strip_prefix('[')
            .filter(|a| hex16(a) && a.as_bytes().get(16) == Some(&b']'))
        {
            rest = &after[17..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Each local function's key in the list, in the module's order: its name
/// from the name section (else the name it is exported by, `export
/// __wbindgen_start`) without hashes, and ` #n` for the n-th function of
/// that name (generic code instantiated n times). A function with neither
/// name has none, and is always kept.
fn function_keys(module: &Module) -> Vec<(FunctionId, Option<String>)> {
    let mut exported = BTreeMap::new();
    for e in module.exports.iter() {
        if let walrus::ExportItem::Function(f) = e.item {
            exported
                .entry(f)
                .or_insert_with(|| format!("export {}", e.name));
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    module
        .funcs
        .iter_local()
        .map(|(id, _)| {
            let name = module.funcs.get(id).name.as_deref().map(unhashed);
            let key = name.or_else(|| exported.get(&id).cloned()).map(|name| {
                let n = seen.entry(name.clone()).or_default();
                *n += 1;
                if *n == 1 {
                    name
                } else {
                    format!("{name} #{n}")
                }
            });
            (id, key)
        })
        .collect()
}

/// The module with a call to [`NAMESPACE`].[`MARK`]`(ordinal)` at the
/// start of every local function, and the functions' names by ordinal.
pub fn instrument(wasm: &[u8]) -> Result<(Vec<u8>, Vec<String>)> {
    let mut module = Module::from_buffer(wasm)?;
    let names = function_keys(&module);
    let ty = module.types.add(&[ValType::I32], &[]);
    let (mark, _) = module.add_import_func(NAMESPACE, MARK, ty);
    for (ordinal, (id, _)) in names.iter().enumerate() {
        let local = module.funcs.get_mut(*id).kind.unwrap_local_mut();
        let entry = local.entry_block();
        local
            .builder_mut()
            .instr_seq(entry)
            .instr_at(0, ir::Call { func: mark })
            .instr_at(
                0,
                ir::Const {
                    value: ir::Value::I32(ordinal as i32),
                },
            );
    }
    Ok((
        module.emit_wasm(),
        names
            .into_iter()
            .map(|(_, n)| n.unwrap_or_default())
            .collect(),
    ))
}

/// What the bodies of some functions reach outside themselves.
#[derive(Default)]
struct Reached {
    funcs: BTreeSet<FunctionId>,
    globals: BTreeSet<GlobalId>,
    tables: BTreeSet<TableId>,
    memories: BTreeSet<MemoryId>,
    data_or_elements: bool,
}

impl<'i> Visitor<'i> for Reached {
    fn visit_function_id(&mut self, f: &FunctionId) {
        self.funcs.insert(*f);
    }
    fn visit_global_id(&mut self, g: &GlobalId) {
        self.globals.insert(*g);
    }
    fn visit_table_id(&mut self, t: &TableId) {
        self.tables.insert(*t);
    }
    fn visit_memory_id(&mut self, m: &MemoryId) {
        self.memories.insert(*m);
    }
    fn visit_data_id(&mut self, _: &walrus::DataId) {
        self.data_or_elements = true;
    }
    fn visit_element_id(&mut self, _: &walrus::ElementId) {
        self.data_or_elements = true;
    }
}

/// A short export name for the `n`th item the secondary imports.
fn short(n: usize) -> String {
    const DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = String::new();
    let mut n = n;
    loop {
        s.push(DIGITS[n % DIGITS.len()] as char);
        n /= DIGITS.len();
        if n == 0 {
            return s;
        }
    }
}

/// What one parse of the module splits off and what the secondary module
/// imports from the primary, by name: both modules are made from their own
/// parse, and two parses of one module make the same plan.
struct Plan {
    moved: Vec<FunctionId>,
    funcs: BTreeMap<FunctionId, String>,
    globals: BTreeMap<GlobalId, String>,
    tables: BTreeMap<TableId, String>,
    memories: BTreeMap<MemoryId, String>,
}

fn plan(module: &Module, keep: &BTreeSet<String>) -> Result<Plan> {
    let moved: Vec<FunctionId> = function_keys(module)
        .into_iter()
        .filter(|(_, name)| name.as_ref().is_some_and(|n| !keep.contains(n)))
        .map(|(id, _)| id)
        .collect();
    if moved.is_empty() {
        bail!("nothing to split off: every function is kept");
    }
    let moved_set: BTreeSet<FunctionId> = moved.iter().copied().collect();
    let mut reached = Reached::default();
    for id in &moved {
        let local = module.funcs.get(*id).kind.unwrap_local();
        ir::dfs_in_order(&mut reached, local, local.entry_block());
    }
    if reached.data_or_elements {
        bail!("a function to split off uses a data or element segment (memory.init, table.init)");
    }
    // What the secondary imports from the primary: the kept functions the
    // moved bodies call, every global, table and memory they touch.
    // Short names the module does not export already (two exports of one
    // name would make it invalid).
    let taken: BTreeSet<String> = module.exports.iter().map(|e| e.name.clone()).collect();
    let mut names = (0..).map(short).filter(|n| !taken.contains(n));
    let mut name = || names.next().expect("endless");
    let funcs = reached
        .funcs
        .iter()
        .copied()
        .filter(|f| !moved_set.contains(f))
        .filter(|f| matches!(module.funcs.get(*f).kind, FunctionKind::Local(_)))
        .map(|f| (f, name()))
        .collect();
    let globals = reached.globals.iter().map(|g| (*g, name())).collect();
    let tables = reached.tables.iter().map(|t| (*t, name())).collect();
    let memories = reached.memories.iter().map(|m| (*m, name())).collect();
    Ok(Plan {
        moved,
        funcs,
        globals,
        tables,
        memories,
    })
}

/// A module split in two.
pub struct Parts {
    pub primary: Vec<u8>,
    pub secondary: Vec<u8>,
    /// Functions with a body in the secondary module.
    pub moved: usize,
    /// Functions with a body in the module split.
    pub functions: usize,
}

/// The two modules: the functions `keep` names (by [`function_keys`]), and
/// those without a name, stay in the primary; the others move to the
/// secondary.
pub fn split(wasm: &[u8], keep: &BTreeSet<String>) -> Result<Parts> {
    let mut p = Module::from_buffer(wasm)?;
    let mut s = Module::from_buffer(wasm)?;
    let p_plan = plan(&p, keep)?;
    let s_plan = plan(&s, keep)?;
    Ok(Parts {
        moved: p_plan.moved.len(),
        functions: p.funcs.iter_local().count(),
        primary: primary(&mut p, &p_plan),
        secondary: secondary(&mut s, &s_plan),
    })
}

fn primary(module: &mut Module, plan: &Plan) -> Vec<u8> {
    let moved = &plan.moved;
    let n = moved.len() as u64;
    let table = module.tables.add_local(false, n, Some(n), RefType::FUNCREF);
    module.exports.add(TABLE, table);
    let loaded = module.globals.add_local(
        ValType::I32,
        true,
        false,
        ConstExpr::Value(ir::Value::I32(0)),
    );
    module.exports.add(LOADED, loaded);
    let load_ty = module.types.add(&[], &[]);
    let (load, _) = module.add_import_func(NAMESPACE, LOAD, load_ty);
    // One function that loads the secondary module unless it is in, which
    // every stub calls (its check written out in each stub cost the
    // worker's first part 557 B of brotli more).
    let mut ensure = walrus::FunctionBuilder::new(&mut module.types, &[], &[]);
    ensure
        .func_body()
        .global_get(loaded)
        .unop(ir::UnaryOp::I32Eqz)
        .if_else(
            None,
            |then| {
                then.call(load);
            },
            |_| {},
        );
    let ensure = module.funcs.add_local(ensure.local_func(Vec::new()));
    for (slot, id) in moved.iter().enumerate() {
        let ty = module.funcs.get(*id).ty();
        let (params, results) = {
            let t = module.types.get(ty);
            (t.params().to_vec(), t.results().to_vec())
        };
        let mut builder = walrus::FunctionBuilder::new(&mut module.types, &params, &results);
        let args: Vec<_> = params.iter().map(|t| module.locals.add(*t)).collect();
        let mut body = builder.func_body();
        body.call(ensure);
        for a in &args {
            body.local_get(*a);
        }
        body.i32_const(slot as i32).call_indirect(ty, table);
        let stub: LocalFunction = builder.local_func(args);
        module.funcs.get_mut(*id).kind = FunctionKind::Local(stub);
    }
    for (f, name) in &plan.funcs {
        module.exports.add(name, *f);
    }
    for (g, name) in &plan.globals {
        module.exports.add(name, *g);
    }
    for (t, name) in &plan.tables {
        module.exports.add(name, *t);
    }
    for (m, name) in &plan.memories {
        module.exports.add(name, *m);
    }
    walrus::passes::gc::run(module);
    module.emit_wasm()
}

fn secondary(module: &mut Module, plan: &Plan) -> Vec<u8> {
    let moved = &plan.moved;
    // Nothing of its own runs or is reachable but the moved bodies.
    let exports: Vec<_> = module.exports.iter().map(|e| e.id()).collect();
    for e in exports {
        module.exports.delete(e);
    }
    module.start = None;
    let elements: Vec<_> = module.elements.iter().map(|e| e.id()).collect();
    for e in elements {
        module.elements.delete(e);
    }
    let data: Vec<_> = module.data.iter().map(|d| d.id()).collect();
    for d in data {
        module.data.delete(d);
    }
    for memory in module.memories.iter_mut() {
        memory.data_segments.clear();
    }
    for table in module.tables.iter_mut() {
        table.elem_segments.clear();
    }
    // The kept functions it calls, imported from the primary (the others
    // are reached by nothing now: the collector drops them).
    for (id, name) in &plan.funcs {
        let ty = module.funcs.get(*id).ty();
        let import = module.imports.add(PRIMARY, name, ImportKind::Function(*id));
        module.funcs.get_mut(*id).kind = FunctionKind::Import(ImportedFunction { import, ty });
    }
    for (g, name) in &plan.globals {
        let import = module.imports.add(PRIMARY, name, ImportKind::Global(*g));
        module.globals.get_mut(*g).kind = GlobalKind::Import(import);
    }
    for (t, name) in &plan.tables {
        let import = module.imports.add(PRIMARY, name, ImportKind::Table(*t));
        let table = module.tables.get_mut(*t);
        table.import = Some(import);
        table.init = None;
    }
    for (m, name) in &plan.memories {
        let import = module.imports.add(PRIMARY, name, ImportKind::Memory(*m));
        module.memories.get_mut(*m).import = Some(import);
    }
    let n = moved.len() as u64;
    let (table, _) = module.add_import_table(PRIMARY, TABLE, false, n, Some(n), RefType::FUNCREF);
    module.elements.add(
        ElementKind::Active {
            table,
            offset: ConstExpr::Value(ir::Value::I32(0)),
        },
        ElementItems::Functions(moved.to_vec()),
    );
    walrus::passes::gc::run(module);
    module.emit_wasm()
}

/// Reads a function list: one name per line, `#` comments and blank lines
/// skipped.
pub fn read_list(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::{FunctionBuilder, ImportKind, ModuleConfig};

    #[test]
    fn names_lose_their_hashes_and_repeats_are_numbered() {
        assert_eq!(
            unhashed("core[c5930c85a12de822]::cell::lazy::panic_poisoned"),
            "core::cell::lazy::panic_poisoned"
        );
        assert_eq!(
            unhashed(
                "wasm_bindgen::convert::closures::_::invoke::h3b1e5e0c148ebfca externref shim"
            ),
            "wasm_bindgen::convert::closures::_::invoke externref shim"
        );
        // Not a hash: kept.
        for kept in [
            "a::h3b1e5e0c148ebfc",
            "a[c5930c85a12de82]::b",
            "a::hash_map::x",
        ] {
            assert_eq!(unhashed(kept), kept);
        }
    }

    /// A module of five functions: `entry` (exported) calls `helper`, which
    /// calls `shared` and `inner` and moves the stack pointer; `table_only`
    /// is reached through the table; `unnamed` has no name.
    fn module() -> Vec<u8> {
        let mut m = Module::with_config(ModuleConfig::new());
        let memory = m.memories.add_local(false, false, 1, None, None);
        m.exports.add("memory", memory);
        let sp = m.globals.add_local(
            ValType::I32,
            true,
            false,
            ConstExpr::Value(ir::Value::I32(1024)),
        );
        let func = |m: &mut Module, name: &str, body: &dyn Fn(&mut walrus::InstrSeqBuilder<'_>)| {
            let mut b = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
            b.name(name.to_string());
            body(&mut b.func_body());
            let arg = m.locals.add(ValType::I32);
            m.funcs.add_local(b.local_func(vec![arg]))
        };
        let shared = func(&mut m, "shared::h0123456789abcdef", &|b| {
            b.i32_const(7);
        });
        let inner = func(&mut m, "inner", &|b| {
            b.i32_const(8);
        });
        let helper = func(&mut m, "helper", &|b| {
            b.i32_const(1)
                .call(shared)
                .call(inner)
                .global_set(sp)
                .i32_const(0);
        });
        let entry = func(&mut m, "entry", &|b| {
            b.i32_const(1).call(helper);
        });
        let table_only = func(&mut m, "table_only", &|b| {
            b.i32_const(2);
        });
        let mut unnamed = FunctionBuilder::new(&mut m.types, &[], &[]);
        unnamed.func_body().i32_const(3).drop();
        let unnamed = m.funcs.add_local(unnamed.local_func(Vec::new()));
        m.exports.add("entry", entry);
        // A name the split's own short names would take first.
        m.exports.add("a", entry);
        let table = m.tables.add_local(false, 2, Some(2), RefType::FUNCREF);
        m.exports.add("table", table);
        m.elements.add(
            ElementKind::Active {
                table,
                offset: ConstExpr::Value(ir::Value::I32(0)),
            },
            ElementItems::Functions(vec![table_only, unnamed]),
        );
        m.emit_wasm()
    }

    fn imports(m: &Module) -> BTreeSet<String> {
        m.imports
            .iter()
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect()
    }

    fn func_names(m: &Module) -> BTreeSet<String> {
        m.funcs
            .iter_local()
            .filter_map(|(id, _)| m.funcs.get(id).name.clone())
            .collect()
    }

    #[test]
    fn an_instrumented_module_marks_each_named_function_by_its_ordinal() {
        let (wasm, keys) = instrument(&module()).unwrap();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["", "entry", "helper", "inner", "shared", "table_only"]
        );
        let m = Module::from_buffer(&wasm).unwrap();
        assert!(imports(&m).contains("hc_split.mark"));
        // Each function marks the number of its name in `keys` (the
        // unnamed one too: the list cannot name it, so it is kept).
        for (id, f) in m.funcs.iter_local() {
            let seq = f.block(f.entry_block());
            let (first, _) = &seq.instrs[0];
            let ir::Instr::Const(ir::Const {
                value: ir::Value::I32(n),
            }) = first
            else {
                panic!("{first:?}");
            };
            let name = m.funcs.get(id).name.as_deref().map(unhashed);
            assert_eq!(name.unwrap_or_default(), keys[*n as usize]);
            assert!(matches!(&seq.instrs[1].0, ir::Instr::Call(_)));
        }
    }

    #[test]
    fn moved_bodies_go_to_the_secondary_and_stubs_stay_where_they_were() {
        let keep: BTreeSet<String> = ["entry", "shared"].map(String::from).into();
        let parts = split(&module(), &keep).unwrap();
        // helper, inner and table_only move; the unnamed function stays.
        assert_eq!((parts.moved, parts.functions), (3, 6));
        let p = Module::from_buffer(&parts.primary).unwrap();
        let s = Module::from_buffer(&parts.secondary).unwrap();
        // The primary: helper and table_only as stubs (called, in the
        // table), inner gone (only helper's body called it), a loader.
        let p_names = func_names(&p);
        for name in ["entry", "shared::h0123456789abcdef", "helper", "table_only"] {
            assert!(p_names.contains(name), "{name} in {p_names:?}");
        }
        assert!(!p_names.contains("inner"));
        assert!(imports(&p).contains("hc_split.load"));
        let exports: BTreeSet<&str> = p.exports.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            exports.len(),
            p.exports.iter().count(),
            "an export name twice"
        );
        for name in ["entry", "memory", TABLE, LOADED] {
            assert!(exports.contains(name), "{name} in {exports:?}");
        }
        // The secondary: the three bodies, in its one element segment on
        // the primary's table; what they reach, imported from the primary
        // (shared, the stack pointer); nothing of its own exported or
        // written to memory.
        assert_eq!(
            func_names(&s),
            ["helper", "inner", "table_only"].map(String::from).into()
        );
        let s_imports = imports(&s);
        assert!(s_imports.contains(&format!("{PRIMARY}.{TABLE}")));
        assert_eq!(
            s_imports.iter().filter(|i| i.starts_with("p.")).count(),
            3,
            "{s_imports:?}"
        );
        assert_eq!(s.exports.iter().count(), 0);
        assert_eq!(s.data.iter().count(), 0);
        let segments: Vec<_> = s.elements.iter().collect();
        assert_eq!(segments.len(), 1);
        match &segments[0].items {
            ElementItems::Functions(f) => assert_eq!(f.len(), 3),
            other => panic!("{other:?}"),
        }
        // Each name the secondary imports from the primary is exported there.
        for i in s.imports.iter().filter(|i| i.module == PRIMARY) {
            assert!(exports.contains(i.name.as_str()), "{} not exported", i.name);
        }
        let called = s
            .imports
            .iter()
            .find(|i| matches!(i.kind, ImportKind::Function(_)))
            .map(|i| i.name.clone())
            .expect("shared is imported");
        let exported = p.exports.iter().find(|e| e.name == called).map(|e| e.item);
        let shared = p.funcs.by_name("shared::h0123456789abcdef").unwrap();
        assert!(matches!(exported, Some(walrus::ExportItem::Function(f)) if f == shared));
    }

    #[test]
    fn a_list_that_keeps_everything_is_refused() {
        let keep: BTreeSet<String> = ["shared", "inner", "helper", "entry", "table_only"]
            .map(String::from)
            .into();
        assert!(split(&module(), &keep).is_err());
    }

    #[test]
    fn lists_skip_comments_and_blank_lines() {
        let list = read_list("# comment\n\nentry\n  helper  \n");
        assert_eq!(list, ["entry", "helper"].map(String::from).into());
    }
}
