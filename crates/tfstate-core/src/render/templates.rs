//! The embedded handlebars templates and the registry that renders them. HTML escaping is off
//! and strict mode on; values reach a template only through three helpers:
//! `hcl` (a quoted, escaped HCL string), `literal` (a number or boolean), `ident` (a
//! resource address or file name made of `[A-Za-z0-9_.-]`) and `comment` (text on a `#` line,
//! kept on that line). Never triple braces.

use std::collections::BTreeMap;

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError, RenderErrorReason};
use serde::Serialize;
use serde_json::Value;

use super::hcl;
use crate::error::{Error, Result};

pub const BACKEND: &str = "backend.tf";
pub const PROVIDER: &str = "provider.tf";
pub const STATE_BACKEND: &str = "state-backend.tf";
pub const ENVIRONMENT: &str = "env.s3.tfbackend";

pub const SOURCES: &[(&str, &str)] = &[
    (BACKEND, include_str!("templates/backend.tf.hbs")),
    (PROVIDER, include_str!("templates/provider.tf.hbs")),
    (STATE_BACKEND, include_str!("templates/state-backend.tf.hbs")),
    (ENVIRONMENT, include_str!("templates/env.s3.tfbackend.hbs")),
];

#[derive(Debug, Serialize)]
pub struct BackendContext {
    pub required_version: String,
    pub bucket: String,
    pub key: Option<String>,
    pub region: String,
    pub kms_key_id: Option<String>,
    pub table: Option<String>,
    pub use_lockfile: bool,
    pub profile: Option<String>,
    pub assume_role_arn: Option<String>,
    pub practice: Option<Practice>,
}

#[derive(Debug, Serialize)]
pub struct ProviderContext {
    pub region: String,
    pub profile: Option<String>,
    pub assume_role_arn: Option<String>,
    pub practice: Option<Practice>,
}

/// Practice mode's emulator: its address (every endpoint) and the keys it accepts.
#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub endpoint: String,
    pub key: String,
}

#[derive(Debug, Serialize)]
pub struct EnvironmentContext {
    pub file_name: String,
    pub bucket: String,
    pub key: String,
    pub region: String,
}

#[derive(Debug, Serialize)]
pub struct StateBackendContext {
    pub bucket: String,
    pub tags: BTreeMap<String, String>,
    pub sse_algorithm: String,
    pub kms_master_key_id: Option<String>,
    pub bucket_key_enabled: bool,
    pub tls_only_policy: bool,
    /// Whether to manage the lifecycle configuration (not for a bucket that existed before).
    pub lifecycle: bool,
    pub noncurrent_days: u32,
    pub table: Option<String>,
    pub billing_mode: String,
    pub read_capacity: Option<u32>,
    pub write_capacity: Option<u32>,
    pub deletion_protection: bool,
    pub point_in_time_recovery: bool,
    pub imports: Vec<Import>,
}

#[derive(Debug, Serialize)]
pub struct Import {
    pub to: String,
    pub id: String,
}

pub fn registry() -> Result<Handlebars<'static>> {
    registry_of(SOURCES)
}

/// The templates are registered with LF line ends whatever the checkout did to the `.hbs` files
/// (`.gitattributes` asks for LF; git on Windows with `core.autocrlf` and no such file writes
/// CRLF, and `include_str!` would embed it). Terraform files are LF: `terraform fmt` writes LF.
fn registry_of(sources: &[(&str, &str)]) -> Result<Handlebars<'static>> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    registry.register_helper("hcl", Box::new(hcl_helper));
    registry.register_helper("literal", Box::new(literal_helper));
    registry.register_helper("ident", Box::new(ident_helper));
    registry.register_helper("comment", Box::new(comment_helper));
    for (name, source) in sources {
        registry
            .register_template_string(name, source.replace("\r\n", "\n"))
            .map_err(|e| Error::Internal(format!("template {name}: {e}")))?;
    }
    Ok(registry)
}

/// Renders a template and aligns it the way `terraform fmt` does.
pub fn render<T: Serialize>(registry: &Handlebars<'_>, name: &str, context: &T) -> Result<String> {
    let text = registry
        .render(name, context)
        .map_err(|e| Error::Internal(format!("rendering {name}: {e}")))?;
    Ok(hcl::align_attributes(&text))
}

fn param<'a>(helper: &'a Helper<'_>, name: &'static str) -> std::result::Result<&'a Value, RenderError> {
    helper
        .param(0)
        .map(|p| p.value())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex(name, 0).into())
}

fn hcl_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    match param(helper, "hcl")? {
        Value::String(text) => Ok(out.write(&hcl::quote(text))?),
        other => Err(RenderErrorReason::Other(format!("hcl expects a string, got {other}")).into()),
    }
}

fn literal_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    match param(helper, "literal")? {
        value @ (Value::Number(_) | Value::Bool(_)) => Ok(out.write(&value.to_string())?),
        other => Err(RenderErrorReason::Other(format!("literal expects a number or boolean, got {other}")).into()),
    }
}

fn ident_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    match param(helper, "ident")? {
        Value::String(text)
            if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) =>
        {
            Ok(out.write(text)?)
        }
        other => Err(RenderErrorReason::Other(format!("ident expects [A-Za-z0-9_.-]+, got {other}")).into()),
    }
}

/// Text inside a `#` comment: a line break or other control character would end the comment
/// and let the rest be read as HCL, so each becomes a space.
fn comment_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    match param(helper, "comment")? {
        Value::String(text) => {
            let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            Ok(out.write(&line)?)
        }
        other => Err(RenderErrorReason::Other(format!("comment expects a string, got {other}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crlf_checkout_of_a_template_still_renders_lf() {
        let registry = registry_of(&[("t.tf", "a = {{hcl value}}\r\nbb = 1\r\n")]).expect("registry");
        let text = render(&registry, "t.tf", &serde_json::json!({ "value": "x" })).expect("render");
        assert_eq!(text, "a  = \"x\"\nbb = 1\n");
    }

    #[test]
    fn a_comment_value_stays_on_its_comment_line() {
        let registry = registry_of(&[("t.tf", "# at {{comment value}}\n")]).expect("registry");
        let text = render(
            &registry,
            "t.tf",
            &serde_json::json!({ "value": "x\nbucket = \"y\"\r\t" }),
        )
        .expect("render");
        assert_eq!(text, "# at x bucket = \"y\"  \n");
    }
}
