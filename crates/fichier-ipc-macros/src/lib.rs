//! `#[command]`: a Tauri command that also describes its TypeScript signature.
//!
//! On `fn name(...)` it emits the function under `#[tauri::command]` and, beside it, a
//! module of the same name (modules and functions live in different namespaces) whose
//! `signature()` tells the bindings generator the command's name (and its camelCase
//! method name), its documentation, the
//! arguments the window passes (camelCase, as Tauri expects them) and what it returns.
//! Arguments that Tauri supplies itself (`State`, `AppHandle`, windows) are left out;
//! `Option<T>` arguments are optional; a `Result<T, _>` returns `T`.

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::{
    FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type, parse_macro_input,
};

/// Types Tauri injects: the window never passes them.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr = proc_macro2::TokenStream::from(attr);
    let func = parse_macro_input!(item as ItemFn);
    match signature(&func) {
        Ok(sig) => {
            let vis = &func.vis;
            let name = &func.sig.ident;
            let module = format_ident!("{}", name);
            quote! {
                #[::tauri::command(#attr)]
                #func

                #[doc(hidden)]
                #[allow(non_snake_case, clippy::all)]
                #vis mod #module {
                    #[allow(unused_imports)]
                    use super::*;
                    pub fn signature() -> crate::ipc::Signature {
                        #sig
                    }
                }
            }
            .into()
        }
        Err(e) => e.to_compile_error().into(),
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

fn first_generic(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// An expression giving the TypeScript of `ty`.
fn ts_of(ty: &Type) -> syn::Result<proc_macro2::TokenStream> {
    if let Type::Tuple(t) = ty
        && t.elems.is_empty()
    {
        return Ok(quote! { String::from("void") });
    }
    let Some(seg) = last_segment(ty) else {
        return Err(syn::Error::new_spanned(
            ty,
            "a command argument or result must be a named type",
        ));
    };
    let id = seg.ident.to_string();
    let numeric = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize", "f32", "f64",
    ];
    if numeric.contains(&id.as_str()) {
        return Ok(quote! { String::from("number") });
    }
    match (id.as_str(), first_generic(seg)) {
        ("Vec", Some(inner)) => {
            let inner = ts_of(inner)?;
            Ok(quote! { format!("Array<{}>", #inner) })
        }
        ("Option", Some(inner)) => {
            let inner = ts_of(inner)?;
            Ok(quote! { format!("{} | null", #inner) })
        }
        ("Channel", Some(inner)) => {
            let inner = ts_of(inner)?;
            Ok(quote! { format!("Channel<{}>", #inner) })
        }
        _ => Ok(quote! { <#ty as ::ts_rs::TS>::name() }),
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.trim_start_matches('_').chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn docs(attrs: &[syn::Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    lines.join("\n").trim().to_string()
}

fn signature(func: &ItemFn) -> syn::Result<proc_macro2::TokenStream> {
    let name = func.sig.ident.to_string();
    let method = camel(&name);
    let doc = docs(&func.attrs);
    let mut args = Vec::new();
    for input in &func.sig.inputs {
        let FnArg::Typed(pt) = input else {
            return Err(syn::Error::new_spanned(input, "a command takes no `self`"));
        };
        let Pat::Ident(pi) = &*pt.pat else {
            return Err(syn::Error::new_spanned(
                &pt.pat,
                "a command argument needs a plain name",
            ));
        };
        let seg = last_segment(&pt.ty);
        if seg.is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())) {
            continue;
        }
        let arg = camel(&pi.ident.to_string());
        let optional = seg.is_some_and(|s| s.ident == "Option");
        let ty = match (optional, seg.and_then(first_generic)) {
            (true, Some(inner)) => ts_of(inner)?,
            _ => ts_of(&pt.ty)?,
        };
        args.push(quote! {
            crate::ipc::Arg { name: #arg, ts: #ty, optional: #optional }
        });
    }
    let returns = match &func.sig.output {
        ReturnType::Default => quote! { String::from("void") },
        ReturnType::Type(_, ty) => match last_segment(ty) {
            Some(seg) if seg.ident == "Result" || seg.ident == "CmdResult" => {
                match first_generic(seg) {
                    Some(ok) => ts_of(ok)?,
                    None => return Err(syn::Error::new_spanned(ty, "a result needs its type")),
                }
            }
            _ => ts_of(ty)?,
        },
    };
    Ok(quote! {
        crate::ipc::Signature {
            name: #name,
            method: #method,
            doc: #doc,
            args: vec![#(#args),*],
            returns: #returns,
        }
    })
}
