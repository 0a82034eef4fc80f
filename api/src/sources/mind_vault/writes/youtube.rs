//! YouTube URL parsing: every common URL form to its 11-character video id.
//!
//! Accepted (with or without `http(s)://`, any letter case in the host, extra query
//! parameters, timestamps and fragments):
//! - `youtube.com/watch?v=ID` on `www.`, `m.`, `music.` and no subdomain (also `youtube-nocookie.com`);
//! - `youtube.com/embed/ID`, `/shorts/ID`, `/live/ID`, `/v/ID`;
//! - `youtu.be/ID`.
//!
//! A bare id (`dQw4w9WgXcQ`) is not a URL and is refused, as is any other host or an id that
//! is not exactly 11 characters of `[A-Za-z0-9_-]`.

/// Hosts of the `youtube.com` family.
const HOSTS: &[&str] = &[
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
];

/// Path prefixes followed by the id.
const PREFIXES: &[&str] = &["embed", "shorts", "live", "v"];

/// Whether `s` is a YouTube video id.
pub fn is_id(s: &str) -> bool {
    s.len() == 11
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The video id of a YouTube URL, or `None` when `url` is not one.
pub fn video_id(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        url.get(8..).unwrap_or_default()
    } else if lower.starts_with("http://") {
        url.get(7..).unwrap_or_default()
    } else {
        url
    };
    if rest.contains("://") || rest.chars().any(char::is_whitespace) {
        return None;
    }
    // Drop the fragment, then split host, path and query.
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, q),
        None => (rest, ""),
    };
    let (host, path) = match before_query.split_once('/') {
        Some((h, p)) => (h, p),
        None => (before_query, ""),
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix(":443").unwrap_or(&host);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let id = if host == "youtu.be" || host == "www.youtu.be" {
        match segments.as_slice() {
            [id] => (*id).to_owned(),
            _ => return None,
        }
    } else if HOSTS.contains(&host) {
        match segments.as_slice() {
            ["watch"] => query
                .split('&')
                .find_map(|p| p.strip_prefix("v="))?
                .to_owned(),
            [prefix, id] if PREFIXES.contains(prefix) => (*id).to_owned(),
            _ => return None,
        }
    } else {
        return None;
    };
    is_id(&id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::video_id;

    const ID: &str = "dQw4w9WgXcQ";

    #[test]
    fn every_common_form_parses() {
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "http://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://music.youtube.com/watch?v=dQw4w9WgXcQ&list=RD123",
            "youtube.com/watch?v=dQw4w9WgXcQ#t=1m",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?t=30",
            "https://www.youtube.com/embed/dQw4w9WgXcQ?start=10",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://youtube.com/shorts/dQw4w9WgXcQ?feature=share",
            "https://www.youtube.com/live/dQw4w9WgXcQ?si=abc",
            "https://www.youtube.com/v/dQw4w9WgXcQ",
            "  HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ  ",
        ] {
            assert_eq!(video_id(url).as_deref(), Some(ID), "{url}");
        }
    }

    #[test]
    fn other_input_is_refused() {
        for url in [
            "",
            "dQw4w9WgXcQ",
            "https://vimeo.com/123456",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQx",
            "https://www.youtube.com/watch",
            "https://www.youtube.com/channel/UC123",
            "https://youtu.be/",
            "https://evil.com/youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com.evil.com/watch?v=dQw4w9WgXcQ",
            "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9W$XcQ",
        ] {
            assert_eq!(video_id(url), None, "{url}");
        }
    }
}
