//! The serde `Deserializer` over the positioned YAML tree, and its sequence, mapping and enum
//! access: every error at the span of the node it is about.

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::diagnostic::Span;
use crate::suggest;
use crate::yaml::de::problems::{Collector, Error, Problem, SILENT, address};
use crate::yaml::{Node, NodeKind, Plain, resolve_plain};

/// Reads `node` as a `T`, recording every problem in `collector`. `None` when the value could not
/// be built at all (the problem is then in the collector).
pub fn from_node<'de, T: de::Deserialize<'de>>(
    root: &'de Node,
    collector: &Collector,
) -> Option<T> {
    // Each pass either succeeds or sets aside one more node, so this ends; the bound is a guard.
    for _ in 0..256 {
        match T::deserialize(De {
            node: root,
            collector,
        }) {
            Ok(value) => return Some(value),
            Err(err) => {
                let node = err.node.unwrap_or(address(root));
                collector.push_error(err, root.span);
                if node == address(root) || !collector.poison(node) {
                    return None;
                }
            }
        }
    }
    None
}

#[derive(Clone, Copy)]
struct De<'de, 'c> {
    node: &'de Node,
    collector: &'c Collector,
}

impl<'de, 'c> De<'de, 'c> {
    fn child(&self, node: &'de Node) -> Self {
        Self {
            node,
            collector: self.collector,
        }
    }

    fn type_error(&self, what: &str) -> Error {
        Error::new(
            "invalid-type",
            format!("expected {what}, found {}", self.node.describe()),
            self.node,
        )
    }

    fn scalar(&self, what: &str) -> Result<(&'de str, bool), Error> {
        match &self.node.kind {
            NodeKind::Scalar { value, plain } => Ok((value, *plain)),
            _ => Err(self.type_error(what)),
        }
    }

    fn number<V: Visitor<'de>>(&self, visitor: V, what: &str) -> Result<V::Value, Error> {
        let (value, plain) = self.scalar(what)?;
        if !plain {
            return Err(self.type_error(what));
        }
        match resolve_plain(value) {
            Plain::Int(i) => {
                if let Ok(i) = i64::try_from(i) {
                    visitor.visit_i64(i)
                } else if let Ok(u) = u64::try_from(i) {
                    visitor.visit_u64(u)
                } else {
                    visitor.visit_f64(i as f64)
                }
            }
            Plain::Float(f) => visitor.visit_f64(f),
            _ => Err(self.type_error(what)),
        }
        .map_err(|e| e.at(self.node))
    }
}

macro_rules! numbers {
    ($($method:ident => $what:literal),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number(visitor, $what)
        })*
    };
}

impl<'de> de::Deserializer<'de> for De<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let node = self.node;
        match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Scalar { value, plain: true } => match resolve_plain(value) {
                Plain::Null => visitor.visit_unit(),
                Plain::Bool(b) => visitor.visit_bool(b),
                Plain::Int(_) => self.number(visitor, "a number"),
                Plain::Float(f) if f.is_finite() => visitor.visit_f64(f),
                Plain::Float(_) => visitor.visit_borrowed_str(value),
                Plain::Str => visitor.visit_borrowed_str(value),
            },
            NodeKind::Scalar { value, .. } => visitor.visit_borrowed_str(value),
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess {
                items: items.iter(),
                de: self,
                index: 0,
            }),
            NodeKind::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.iter(),
                de: self,
                value: None,
                fields: None,
                skipped_keys: Vec::new(),
            }),
        }
        .map_err(|e| e.at(node))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.scalar("`true` or `false`")? {
            (value, true) => match resolve_plain(value) {
                Plain::Bool(b) => visitor.visit_bool(b).map_err(|e: Error| e.at(self.node)),
                _ => Err(self.type_error("`true` or `false`")),
            },
            _ => Err(self.type_error("`true` or `false`")),
        }
    }

    numbers! {
        deserialize_i8 => "a whole number", deserialize_i16 => "a whole number",
        deserialize_i32 => "a whole number", deserialize_i64 => "a whole number",
        deserialize_u8 => "a whole number", deserialize_u16 => "a whole number",
        deserialize_u32 => "a whole number", deserialize_u64 => "a whole number",
        deserialize_f32 => "a number", deserialize_f64 => "a number",
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Plain scalars such as `5` or `true` are taken as their text where a string is wanted:
        // `example: 5` means the string "5" to a prompt author.
        let (value, _) = self.scalar("a string")?;
        visitor
            .visit_borrowed_str(value)
            .map_err(|e: Error| e.at(self.node))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if matches!(self.node.kind, NodeKind::Null) || self.collector.is_poisoned(self.node) {
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            _ => Err(self.type_error("nothing (null)")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => visitor
                .visit_seq(SeqAccess {
                    items: items.iter(),
                    de: self,
                    index: 0,
                })
                .map_err(|e| e.at(self.node)),
            _ => Err(self.type_error("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(entries) => visitor
                .visit_map(MapAccess {
                    entries: entries.iter(),
                    de: self,
                    value: None,
                    fields: None,
                    skipped_keys: Vec::new(),
                })
                .map_err(|e| e.at(self.node)),
            NodeKind::Null => visitor.visit_map(MapAccess {
                entries: [].iter(),
                de: self,
                value: None,
                fields: None,
                skipped_keys: Vec::new(),
            }),
            _ => Err(self.type_error("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            // `key:` with nothing after it reads as an empty mapping.
            NodeKind::Null => visitor
                .visit_map(MapAccess {
                    entries: [].iter(),
                    de: self,
                    value: None,
                    fields: Some(fields),
                    skipped_keys: Vec::new(),
                })
                .map_err(|e| e.at_span(self.node, key_span(self.node))),
            NodeKind::Map(entries) => {
                let skipped = RefCell::new(Vec::new());
                let access = MapAccess {
                    entries: entries.iter(),
                    de: self,
                    value: None,
                    fields: Some(fields),
                    skipped_keys: Vec::new(),
                };
                visitor
                    .visit_map(StructAccess {
                        inner: access,
                        skipped: &skipped,
                    })
                    .map_err(|mut e| {
                        // A required field that was set aside after its own error is not missing.
                        if e.code == "missing-field"
                            && skipped
                                .borrow()
                                .iter()
                                .any(|name| e.message == format!("missing field `{name}`"))
                        {
                            e.code = SILENT;
                        }
                        e.at_span(self.node, key_span(self.node))
                    })
            }
            _ => Err(self.type_error("a mapping")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (tag, value) = match &self.node.kind {
            NodeKind::Scalar { .. } => (self.node, None),
            NodeKind::Map(entries) if entries.len() == 1 => (&entries[0].0, Some(&entries[0].1)),
            _ => {
                let list = variants
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(self.type_error(&format!("one of {list}")));
            }
        };
        let name = tag.as_str().unwrap_or_default();
        if !variants.contains(&name) {
            let list = variants
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut err = Error::new(
                "unknown-variant",
                format!("unknown value `{name}`, expected one of {list}"),
                tag,
            );
            err.help = suggest::did_you_mean(name, variants.iter().copied());
            return Err(err);
        }
        visitor
            .visit_enum(EnumAccess {
                de: self,
                tag,
                value,
            })
            .map_err(|e| e.at(self.node))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// Where a mapping-level problem (a missing field) is best shown: the mapping's first line.
fn key_span(node: &Node) -> Span {
    match &node.kind {
        NodeKind::Map(entries) if !entries.is_empty() => entries[0].0.span,
        _ => node.span,
    }
}

struct SeqAccess<'de, 'c, I> {
    items: I,
    de: De<'de, 'c>,
    index: usize,
}

impl<'de, I: Iterator<Item = &'de Node>> de::SeqAccess<'de> for SeqAccess<'de, '_, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some(node) if self.de.collector.is_poisoned(node) => self.next_element_seed(seed),
            Some(node) => {
                self.index += 1;
                seed.deserialize(self.de.child(node))
                    .map(Some)
                    .map_err(|e| e.at(node))
            }
        }
    }
}

struct MapAccess<'de, 'c, I> {
    entries: I,
    de: De<'de, 'c>,
    value: Option<&'de Node>,
    fields: Option<&'static [&'static str]>,
    skipped_keys: Vec<&'de str>,
}

impl<'de, I: Iterator<Item = &'de (Node, Node)>> de::MapAccess<'de> for MapAccess<'de, '_, I> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            if let Some(fields) = self.fields {
                let name = key.as_str().unwrap_or_default();
                if !fields.contains(&name) {
                    let help = suggest::did_you_mean_or_list(name, fields, "expected one of");
                    self.de.collector.push(Problem {
                        code: "unknown-field",
                        message: format!("unknown field `{name}`"),
                        span: key.span,
                        help: Some(help),
                        structural: false,
                    });
                    continue;
                }
            }
            if self.de.collector.is_poisoned(value) {
                self.skipped_keys.extend(key.as_str());
                continue;
            }
            self.value = Some(value);
            return seed
                .deserialize(self.de.child(key))
                .map(Some)
                .map_err(|e| e.at(key));
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self.value.take().expect("next_value after next_key");
        seed.deserialize(self.de.child(node))
            .map_err(|e| e.at(node))
    }
}

/// A struct's fields, remembering which ones were set aside after an error.
struct StructAccess<'de, 'c, 's, I> {
    inner: MapAccess<'de, 'c, I>,
    skipped: &'s RefCell<Vec<&'de str>>,
}

impl<'de, I: Iterator<Item = &'de (Node, Node)>> de::MapAccess<'de>
    for StructAccess<'de, '_, '_, I>
{
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let result = self.inner.next_key_seed(seed);
        self.skipped
            .borrow_mut()
            .extend(self.inner.skipped_keys.drain(..));
        result
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.inner.next_value_seed(seed)
    }
}

struct EnumAccess<'de, 'c> {
    de: De<'de, 'c>,
    tag: &'de Node,
    value: Option<&'de Node>,
}

impl<'de, 'c> de::EnumAccess<'de> for EnumAccess<'de, 'c> {
    type Error = Error;
    type Variant = VariantAccess<'de, 'c>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let name: &'de str = self.tag.as_str().unwrap_or_default();
        let variant = seed
            .deserialize(name.into_deserializer())
            .map_err(|e: Error| e.at(self.tag))?;
        Ok((
            variant,
            VariantAccess {
                de: self.de,
                tag: self.tag,
                value: self.value,
            },
        ))
    }
}

struct VariantAccess<'de, 'c> {
    de: De<'de, 'c>,
    tag: &'de Node,
    value: Option<&'de Node>,
}

impl<'de> VariantAccess<'de, '_> {
    fn content(&self, what: &str) -> Result<&'de Node, Error> {
        self.value.ok_or_else(|| {
            Error::new(
                "invalid-type",
                format!("`{}` needs {what}", self.tag.as_str().unwrap_or_default()),
                self.tag,
            )
        })
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value.map(|n| &n.kind) {
            None | Some(NodeKind::Null) => Ok(()),
            Some(NodeKind::Map(entries)) if entries.is_empty() => Ok(()),
            Some(_) => Err(Error::new(
                "invalid-type",
                format!("`{}` takes no value", self.tag.as_str().unwrap_or_default()),
                self.value.unwrap_or(self.tag),
            )),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let node = self.content("a value")?;
        seed.deserialize(self.de.child(node))
            .map_err(|e| e.at(node))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let node = self.content("a list")?;
        de::Deserializer::deserialize_seq(self.de.child(node), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let node = self.content("a mapping")?;
        de::Deserializer::deserialize_struct(self.de.child(node), "", fields, visitor)
    }
}
