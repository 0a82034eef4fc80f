//! The declarative description of what the gateway exposes: one [`Table`] per database table,
//! one [`Relation`] per foreign key. Everything the read layer does — object types, filters,
//! orderings, connections, loaders, access rules — is derived from these descriptions, so a
//! table costs a few declarative lines instead of a copy of the machinery.
//!
//! The descriptions are deliberate views: a column that is not listed is not exposed, so a new
//! column in a migration never changes `schema.graphql` silently.

use migration::Database;

/// The storage kind of a column, which fixes its GraphQL scalar, how it is read from a row, how
/// it is filtered and how it is written into a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `uuid`.
    Uuid,
    /// Any text (`text`, `varchar`).
    Text,
    /// 32-bit integer (`integer`, `serial`).
    Int,
    /// 64-bit integer, exposed as a string because GraphQL `Int` is 32-bit.
    BigInt,
    /// `double precision`.
    Float,
    /// `numeric(p, s)`: exposed as a decimal string with `scale` digits (`None`: as stored).
    Decimal(Option<u32>),
    /// `boolean`.
    Bool,
    /// A string boolean column (`'true'` / `'false'`), exposed as `Boolean` (usegemz UG-A08).
    TextBool,
    /// `timestamp` without time zone, always UTC in this gateway.
    Timestamp,
    /// `timestamp with time zone`.
    TimestampTz,
    /// `date`.
    Date,
    /// `json` / `jsonb`.
    Json,
    /// A value domain: a named PostgreSQL enum type or a checked text column.
    Enum(&'static EnumDef),
}

impl Kind {
    /// Whether `sum`/`avg`/`min`/`max` apply.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Kind::Int | Kind::BigInt | Kind::Float | Kind::Decimal(_)
        )
    }

    /// Whether the column can be an `orderBy` key.
    pub fn is_orderable(self) -> bool {
        !matches!(self, Kind::Json)
    }
}

/// A value domain: its GraphQL enum and the exact strings stored in the database.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumDef {
    /// GraphQL enum type name (with the source prefix).
    pub name: &'static str,
    /// PostgreSQL enum type, when the column is one (values are compared through a cast to it).
    pub pg_type: Option<&'static str>,
    /// Description of the enum.
    pub doc: &'static str,
    /// The stored strings; the GraphQL names are their SCREAMING_SNAKE_CASE forms.
    pub values: &'static [&'static str],
}

impl EnumDef {
    /// The GraphQL name of a stored value: `"Grief care"` → `GRIEF_CARE`, `"not-verified"` →
    /// `NOT_VERIFIED`, `"TikTok"` → `TIKTOK`.
    pub fn graphql_name(value: &str) -> String {
        value
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// Who may read a column's value on a row they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Everyone who can see the row.
    Everyone,
    /// Only the row's owner (see [`Table::owner`]) and admins; `null` for everyone else.
    Owner,
    /// The owner, admins, and everyone else when the owner's setting allows it; `null` otherwise.
    Setting(&'static Setting),
}

/// A per-user boolean setting that makes an owner's column readable to others (Head Shakers'
/// `show_location`, `show_collection_value` …).
#[derive(Debug, PartialEq, Eq)]
pub struct Setting {
    /// The settings table (same database).
    pub table: &'static str,
    /// Its column naming the user.
    pub user_column: &'static str,
    /// The boolean column; a missing settings row counts as `false` unless `default` says so.
    pub flag: &'static str,
    /// The flag's value when the user has no settings row.
    pub default: bool,
}

/// An SQL expression over a row of `table` (`"table".…`) that computes a column's value at
/// read time, for the backend that runs the statement.
pub type ReadExpr = fn(&Table, sea_orm::DbBackend) -> sea_orm::sea_query::Expr;

/// One exposed column.
#[derive(Debug)]
pub struct Column {
    /// Column name in the database.
    pub name: &'static str,
    /// Storage kind.
    pub kind: Kind,
    /// Whether the column may hold `NULL`.
    pub nullable: bool,
    /// Who reads the value.
    pub read: Read,
    /// Field description (from the seed's meaning).
    pub doc: &'static str,
    /// When set, every read answers this expression instead of the stored value — the
    /// selected value, `where` filters, `orderBy` and cursors alike, so they always agree (a
    /// value that depends on the clock, such as a job that reads as timed out once its time
    /// limit passed). It must have the column's storage type, which must not be a named
    /// PostgreSQL enum. Access rules (`always`, [`Access::Where`]) still see the stored value.
    pub computed: Option<ReadExpr>,
}

impl Column {
    /// A `NOT NULL` column readable by everyone who sees the row.
    pub const fn new(name: &'static str, kind: Kind, doc: &'static str) -> Self {
        Column {
            name,
            kind,
            nullable: false,
            read: Read::Everyone,
            doc,
            computed: None,
        }
    }

    /// The same column, read through `expr` instead of as stored (see the `computed` field).
    pub const fn read_as(self, expr: ReadExpr) -> Self {
        Column {
            computed: Some(expr),
            ..self
        }
    }

    /// The same column, nullable.
    pub const fn null(self) -> Self {
        Column {
            nullable: true,
            ..self
        }
    }

    /// The same column, readable only by the row's owner (and so nullable in GraphQL).
    pub const fn owner(self) -> Self {
        Column {
            read: Read::Owner,
            ..self
        }
    }

    /// The same column, readable by others only when the owner's `setting` allows it.
    pub const fn shown_by(self, setting: &'static Setting) -> Self {
        Column {
            read: Read::Setting(setting),
            ..self
        }
    }

    /// GraphQL field name: camelCase of the column name; a single-column primary key named `id`
    /// becomes `rowId` because `id` is the Relay global id.
    pub fn field_name(&self, table: &Table) -> String {
        if self.name == "id" && table.pk == ["id"] {
            return "rowId".to_owned();
        }
        camel(self.name)
    }

    /// Whether aggregates (`sum`, `avg`, `min`, `max`) are offered over the column: numeric,
    /// and read by everyone or by a setting (aggregated as each viewer reads it, so a hidden
    /// value adds nothing); owner-only columns are not.
    pub fn aggregatable(&self) -> bool {
        self.kind.is_numeric() && matches!(self.read, Read::Everyone | Read::Setting(_))
    }

    /// Whether GraphQL declares the field nullable.
    pub fn graphql_nullable(&self) -> bool {
        self.nullable || self.read != Read::Everyone
    }
}

/// A literal in a [`Cond`].
#[derive(Debug, Clone, Copy)]
pub enum Lit {
    /// A boolean.
    Bool(bool),
    /// A string (enum values included).
    Str(&'static str),
    /// `IS NULL`.
    Null,
}

/// `column = literal` (or `IS NULL`).
pub type Cond = (&'static str, Lit);

/// Which rows of a table a viewer may read: a small expression over the viewer and the row.
/// Admins of the source read every row (never the columns that are not described at all).
#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Everyone (content the seeds call public: tags, categories, templates …).
    Everyone,
    /// Nobody but admins.
    Admin,
    /// The row's owner ([`Table::owner`]) equals the viewer.
    Owner,
    /// Every condition holds.
    Where(&'static [Cond]),
    /// The parent row (through the foreign key `column` → `table`, same database) is visible.
    Via {
        /// Foreign key column of this table.
        column: &'static str,
        /// Parent table.
        table: &'static str,
    },
    /// The parent row (through the foreign key `column` → `table`) is owned by the viewer.
    ViaOwner {
        /// Foreign key column of this table.
        column: &'static str,
        /// Parent table.
        table: &'static str,
    },
    /// The JSON array `column` holds the viewer's (integer) user id (group members).
    MemberOf(&'static str),
    /// Every rule holds.
    All(&'static [Access]),
    /// At least one rule holds.
    Any(&'static [Access]),
    /// A source-specific rule (`"table".…` predicate for the scope's viewer).
    Custom(
        fn(
            &'static Table,
            &crate::graphql::sql::Scope,
        ) -> Result<sea_orm::sea_query::Condition, crate::error::ApiError>,
    ),
}

/// Public rows (every condition holds) for everyone, all rows for their owner.
pub const fn public_or_owner(conds: &'static [Cond]) -> [Access; 2] {
    [Access::Where(conds), Access::Owner]
}

/// One exposed table.
#[derive(Debug)]
pub struct Table {
    /// The database (and migration history) the table lives in.
    pub db: Database,
    /// Table name.
    pub name: &'static str,
    /// GraphQL object type name, prefixed with the source.
    pub type_name: &'static str,
    /// Root field of the single-row lookup (`bobblehead`).
    pub singular: &'static str,
    /// Root field of the connection (`bobbleheads`).
    pub plural: &'static str,
    /// Type description.
    pub doc: &'static str,
    /// Primary key columns.
    pub pk: &'static [&'static str],
    /// The column holding the owning user's key, compared with the viewer's id.
    pub owner: Option<&'static str>,
    /// Which rows a viewer may read.
    pub access: Access,
    /// Conditions every visible row meets, for every viewer (soft deletes).
    pub always: &'static [Cond],
    /// Exposed columns; columns holding secrets are simply not listed.
    pub columns: &'static [Column],
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A foreign key, exposed in both directions.
#[derive(Debug)]
pub struct Relation {
    /// Child table (holding the foreign key).
    pub from: &'static str,
    /// Foreign key column of the child.
    pub column: &'static str,
    /// Parent table.
    pub to: &'static str,
    /// Referenced column of the parent (its primary key or a unique key).
    pub to_column: &'static str,
    /// Field on the child returning the parent.
    pub forward: &'static str,
    /// Field on the parent returning the children (a connection, or one object when `unique`).
    pub reverse: &'static str,
    /// Whether the foreign key is unique (one child per parent).
    pub unique: bool,
    /// Description of the relation.
    pub doc: &'static str,
}

/// One possible target of a [`Polymorphic`] reference.
#[derive(Debug)]
pub struct Member {
    /// The discriminator value naming this target (`bobblehead`).
    pub value: &'static str,
    /// The target table.
    pub table: &'static str,
    /// The column holding the target's id when it is not the reference's own id column (a
    /// user follow names its user in `following_id`).
    pub id_column: Option<&'static str>,
}

/// A polymorphic reference (`target_type` + `target_id` and kin), exposed as a GraphQL union
/// on the holder and, optionally, as a connection on every target type.
#[derive(Debug)]
pub struct Polymorphic {
    /// The table holding the reference.
    pub table: &'static str,
    /// The discriminator column.
    pub kind_column: &'static str,
    /// The id column.
    pub id_column: &'static str,
    /// Field on the holder returning the target.
    pub field: &'static str,
    /// GraphQL union name of the targets.
    pub union: &'static str,
    /// The possible targets.
    pub members: &'static [Member],
    /// Field on every target type listing the rows referencing it (`likes`).
    pub reverse: Option<&'static str>,
    /// The holder's access rule shows a row only when its target is visible to the viewer or
    /// gone (fails the target's `always` filters): a live target found for a row the viewer
    /// sees is visible without its own rule checked again. Only true where the holder's rule
    /// says so (Head Shakers' likes and comments).
    pub guarded: bool,
    /// Description of the reference.
    pub doc: &'static str,
}

/// Rows of `table` related to a row of `on` by `key_column` = the row's primary key, with
/// `fixed` conditions: answered as a boolean "does the viewer have one" (`viewer_column` =
/// the viewer) or as a count.
#[derive(Debug)]
pub struct Related {
    /// The table the field is on.
    pub on: &'static str,
    /// The field name.
    pub field: &'static str,
    /// The related table (same database).
    pub table: &'static str,
    /// Column of `table` holding the row's key.
    pub key_column: &'static str,
    /// Conditions every related row meets.
    pub fixed: &'static [Cond],
    /// `Some(column)`: a viewer flag (the column holds the viewer's key); `None`: a count.
    pub viewer_column: Option<&'static str>,
    /// Description of the field.
    pub doc: &'static str,
}

/// A JSON array of keys on a row, exposed as the list of the rows they name (Deed-O group
/// members, read receipts): every key of every row of a level is read in one statement.
#[derive(Debug)]
pub struct ArrayRelation {
    /// Table holding the array.
    pub from: &'static str,
    /// The JSON array column.
    pub column: &'static str,
    /// Table of the named rows (may live in another database of the source).
    pub to: &'static str,
    /// Column of `to` the keys match.
    pub to_column: &'static str,
    /// Field on `from` listing the rows (absent or invisible ones are left out).
    pub field: &'static str,
    /// Description.
    pub doc: &'static str,
}

/// A field computed from all rows of `table` whose `key_column` holds the row's primary key
/// (a job's creators, flattened from its result records): loaded in one batch per level like
/// any relation, answered by the field `define` builds.
pub struct Computed {
    /// The table the field is on.
    pub on: &'static str,
    /// The field name.
    pub field: &'static str,
    /// The table whose rows it reads (same source).
    pub table: &'static str,
    /// Column of `table` holding the row's key.
    pub key_column: &'static str,
    /// Columns read.
    pub columns: &'static [&'static str],
    /// Builds the field (type, arguments, resolver).
    pub define: fn(&'static Source, &'static Computed) -> async_graphql::dynamic::Field,
}

impl std::fmt::Debug for Computed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Computed({}.{})", self.on, self.field)
    }
}

/// Builds a source's subscription fields and the types they need.
pub type SubscriptionsFn = fn(
    &'static Source,
) -> (
    Vec<async_graphql::dynamic::SubscriptionField>,
    Vec<async_graphql::dynamic::Type>,
);

/// Everything one source exposes.
#[derive(Debug)]
pub struct Source {
    /// Source id (`head_shakers`).
    pub id: &'static str,
    /// GraphQL namespace field (`headShakers`).
    pub namespace: &'static str,
    /// Type prefix (`HeadShakers`).
    pub prefix: &'static str,
    /// Description of the namespace.
    pub doc: &'static str,
    /// The database holding the source's users, whose key a bearer token names.
    pub users: Database,
    /// Exposed tables.
    pub tables: &'static [Table],
    /// Foreign keys between exposed tables.
    pub relations: &'static [Relation],
    /// Polymorphic references.
    pub polymorphic: &'static [Polymorphic],
    /// Viewer flags and counts over related rows.
    pub related: &'static [Related],
    /// Fields computed from related rows.
    pub computed: &'static [Computed],
    /// JSON arrays of keys exposed as lists of rows.
    pub array_relations: &'static [ArrayRelation],
    /// Default orderings of lists of a table when no `orderBy` is given: `(table, [(column,
    /// descending)])`; otherwise newest first by `created_at` where the table has one, else
    /// the primary key ascending (see `order::Ordering::parse`).
    pub default_orders: &'static [(&'static str, &'static [(&'static str, bool)])],
    /// Source-specific query fields added to the namespace (searches …).
    pub queries: Option<fn(&'static Source) -> Vec<async_graphql::dynamic::Field>>,
    /// The source's subscription fields (root fields named with the namespace) and their types.
    pub subscriptions: Option<SubscriptionsFn>,
    /// The source's mutations: builds its `<Prefix>Mutation` namespace object and the types it
    /// needs (inputs, enums).
    pub mutations: Option<fn(&'static Source) -> Vec<async_graphql::dynamic::Type>>,
}

impl Source {
    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&'static Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// `snake_case` → `camelCase`.
pub fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = false;
    for (i, c) in s.chars().enumerate() {
        if c == '_' {
            upper = i > 0;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `camelCase` or `snake_case` → `SCREAMING_SNAKE_CASE`.
pub fn screaming(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("sub_collection_id"), "subCollectionId");
        assert_eq!(camel("emailVerified"), "emailVerified");
        assert_eq!(screaming("createdAt"), "CREATED_AT");
        assert_eq!(EnumDef::graphql_name("Grief care"), "GRIEF_CARE");
        assert_eq!(EnumDef::graphql_name("cause-i"), "CAUSE_I");
    }
}
