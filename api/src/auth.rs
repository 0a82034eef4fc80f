//! Who is asking: the viewer of a request, taken from `Authorization: Bearer <JWT>`.
//!
//! A token names one source and that source's user key (`sub`): the Head Shakers `users.id`,
//! the usegemz Clerk id, the Character Creation `users.id`, the Mind-vault BetterAuth user id or
//! the Deed-O auth `users.id`. A token for one source makes its bearer anonymous to the others.
//! Tokens are HS256 with the configured secret; `gateway mint-token` prints development tokens.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// Clock skew tolerated on `exp` / `nbf`, in seconds.
const LEEWAY_SECS: u64 = 30;

/// The claims of a gateway bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The source's user key.
    pub sub: String,
    /// The source id the subject belongs to.
    pub source: String,
    /// Roles within that source (`admin`, `moderator`).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
}

/// The identity a request acts as.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Viewer {
    /// `(source id, user key)` when a valid token was presented.
    pub user: Option<(String, String)>,
    /// Roles within that source.
    pub roles: Vec<String>,
}

impl Viewer {
    /// The anonymous viewer.
    pub fn anonymous() -> Self {
        Viewer::default()
    }

    /// The viewer's user key within `source`, if the token is for that source.
    pub fn key_in(&self, source: &str) -> Option<&str> {
        match &self.user {
            Some((s, k)) if s == source => Some(k.as_str()),
            _ => None,
        }
    }

    /// Whether the viewer is an admin of `source`.
    pub fn is_admin(&self, source: &str) -> bool {
        self.key_in(source).is_some() && self.roles.iter().any(|r| r == "admin")
    }

    /// A stable text identifying the viewer, part of every batch key so that no batch mixes
    /// two viewers' visibility.
    pub fn scope(&self) -> String {
        match &self.user {
            Some((s, k)) => format!("{s}:{k}:{}", self.roles.join(",")),
            None => "anonymous".to_owned(),
        }
    }
}

/// Signs and verifies bearer tokens.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(..)")
    }
}

impl Tokens {
    /// Keys for the HS256 `secret`.
    pub fn new(secret: &str) -> Self {
        Tokens {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    /// A token for `user` of `source` with `roles`, valid for `ttl_secs`.
    pub fn mint(
        &self,
        source: &str,
        user: &str,
        roles: &[String],
        ttl_secs: u64,
    ) -> Result<String, ApiError> {
        let now = now_secs();
        let claims = Claims {
            sub: user.to_owned(),
            source: source.to_owned(),
            roles: roles.to_vec(),
            iat: now,
            exp: now + ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("sign token: {e}")))
    }

    /// The viewer named by an `Authorization` header value (`None` header: anonymous).
    pub fn viewer(&self, authorization: Option<&str>) -> Result<Viewer, ApiError> {
        let Some(value) = authorization else {
            return Ok(Viewer::anonymous());
        };
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| {
                ApiError::Unauthenticated(
                    "the Authorization header must be `Bearer <token>`".into(),
                )
            })?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token.trim(), &self.decoding, &validation)
            .map_err(|e| ApiError::Unauthenticated(format!("invalid bearer token: {e}")))?;
        let c = data.claims;
        Ok(Viewer {
            user: Some((c.source, c.sub)),
            roles: c.roles,
        })
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_verify_and_forged_ones_do_not() -> Result<(), ApiError> {
        let tokens = Tokens::new("secret");
        let t = tokens.mint("usegemz", "user_2abc", &["admin".into()], 60)?;
        let v = tokens.viewer(Some(&format!("Bearer {t}")))?;
        assert_eq!(v.key_in("usegemz"), Some("user_2abc"));
        assert!(v.is_admin("usegemz"));
        assert_eq!(v.key_in("head_shakers"), None);
        assert!(!v.is_admin("head_shakers"));
        let other = Tokens::new("other");
        assert!(other.viewer(Some(&format!("Bearer {t}"))).is_err());
        assert!(tokens.viewer(Some("Basic abc")).is_err());
        assert_eq!(tokens.viewer(None)?, Viewer::anonymous());
        Ok(())
    }
}
