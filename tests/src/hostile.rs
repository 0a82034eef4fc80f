//! Documents built to hurt a GraphQL server, shared by the limit tests and the fuzzer.

/// `k` fragments, each spreading the next one twice: a document of about 40·k bytes whose
/// selection expands to 2^k fields.
pub fn fragment_bomb(k: usize) -> String {
    let mut q = String::from("query { ...F0 }");
    for i in 0..k {
        q.push_str(&format!(
            " fragment F{i} on Query {{ ...F{} ...F{} }}",
            i + 1,
            i + 1
        ));
    }
    q.push_str(&format!(" fragment F{k} on Query {{ __typename }}"));
    q
}
