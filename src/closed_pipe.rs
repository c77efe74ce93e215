//! Output into a pipe that closes early (`peiling survey progress X | head -3`) is the reader
//! saying it has seen enough: the command ends there, quietly and successfully, as `cat` or
//! `grep` do. Rust ignores SIGPIPE, so `println!` meets the closed pipe as an error and panics
//! with it; one hook for the whole binary turns exactly that panic into a normal end, so no
//! command (and no `println!` added later) needs a write path of its own.

/// Installs the hook; any other panic goes on to the hook that was there.
pub fn end_quietly_on_a_closed_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_closed_pipe(info.payload_as_str()) {
            std::process::exit(0);
        }
        previous(info)
    }));
}

/// Whether a panic message is std's for a print into a closed pipe: "failed printing to
/// stdout: Broken pipe (os error 32)". The error is recognised by its kind, from its number,
/// not by the system's words for it; a full disk ("No space left on device") is no such end.
fn is_closed_pipe(message: Option<&str>) -> bool {
    let Some(message) = message else { return false };
    let Some(error) =
        ["stdout", "stderr"].iter().find_map(|s| message.strip_prefix(&format!("failed printing to {s}: ")))
    else {
        return false;
    };
    let number = error.rsplit_once("(os error ").and_then(|(_, n)| n.strip_suffix(')')?.parse::<i32>().ok());
    number.is_some_and(|n| std::io::Error::from_raw_os_error(n).kind() == std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::is_closed_pipe;

    #[test]
    fn only_a_closed_pipe_on_stdout_or_stderr_is_a_normal_end() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let os = std::io::Error::from_raw_os_error(
            (1..200).find(|&n| std::io::Error::from_raw_os_error(n).kind() == pipe.kind()).unwrap(),
        );
        assert!(is_closed_pipe(Some(&format!("failed printing to stdout: {os}"))));
        assert!(is_closed_pipe(Some(&format!("failed printing to stderr: {os}"))));
        let full = std::io::Error::from_raw_os_error(
            (1..200).find(|&n| std::io::Error::from_raw_os_error(n).kind() == std::io::ErrorKind::StorageFull).unwrap(),
        );
        assert!(!is_closed_pipe(Some(&format!("failed printing to stdout: {full}"))));
        assert!(!is_closed_pipe(Some(&format!("index out of bounds: {os}"))));
        assert!(!is_closed_pipe(None));
    }
}
