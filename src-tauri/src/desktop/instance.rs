//! One window per store. "Open with Dertien" while Dertien is open hands the
//! files to the open window, instead of starting a second window on the same
//! store whose imports the first would not show.
//!
//! The open window listens on a local port (127.0.0.1 only) and writes the
//! port and a random key to a file beside its store, readable by the user
//! alone. A later start connects, sends the key and its file paths, and ends
//! once the window answers. A file left by a window that crashed is taken
//! over: nothing answers on its port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the open window answers once it has the files.
const TAKEN: &str = "taken";
/// Paths a later start may hand over at once, and their total length.
const MAX_MESSAGE: u64 = 1 << 20;

/// Hands `files` (possibly none: then the open window just comes forward) to
/// the window open on this store; true when one took them.
pub fn hand_over(instance: &Path, files: &[PathBuf]) -> bool {
    let Ok(text) = std::fs::read_to_string(instance) else { return false };
    let Some((port, key)) = text.trim().split_once(' ') else { return false };
    let Ok(port) = port.parse::<u16>() else { return false };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut message = format!("{key}\n");
    for file in files {
        // The open window may run in another folder: it gets whole paths.
        let path = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        message.push_str(&path.to_string_lossy());
        message.push('\n');
    }
    if stream.write_all(message.as_bytes()).and_then(|()| stream.shutdown(std::net::Shutdown::Write)).is_err() {
        return false;
    }
    let mut answer = String::new();
    stream.take(64).read_to_string(&mut answer).is_ok() && answer == TAKEN
}

/// The open window's side: the port it listens on and its key.
pub struct Listener {
    listener: TcpListener,
    key: String,
}

impl Listener {
    /// Listens for later starts and writes where to find this window.
    pub fn open(instance: &Path) -> std::io::Result<Listener> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let key: String = crate::store::random_bytes().map_err(std::io::Error::other)?.iter().map(|b| format!("{b:02x}")).collect();
        write_private(instance, &format!("{} {key}\n", listener.local_addr()?.port()))?;
        Ok(Listener { listener, key })
    }

    /// Serves later starts on a thread of its own; `deliver` gets the paths
    /// each one hands over.
    pub fn serve(self, deliver: impl Fn(Vec<PathBuf>) + Send + 'static) {
        // Without the thread, later starts open windows of their own.
        let _ = std::thread::Builder::new().name("instance".into()).spawn(move || {
            for stream in self.listener.incoming().flatten() {
                if let Some(files) = read_hand_over(&stream, &self.key) {
                    deliver(files);
                    let _ = (&stream).write_all(TAKEN.as_bytes());
                }
            }
        });
    }
}

/// The paths a later start sent, if it knew the key.
fn read_hand_over(stream: &TcpStream, key: &str) -> Option<Vec<PathBuf>> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut lines = BufReader::new(stream.take(MAX_MESSAGE)).lines();
    if lines.next()?.ok()? != key {
        return None;
    }
    Some(lines.map_while(Result::ok).filter(|line| !line.is_empty()).map(PathBuf::from).collect())
}

/// Writes `text` to `path`, readable and writable by the user alone.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_start_hands_its_files_to_the_open_window() {
        let dir = std::env::temp_dir().join(format!("dertien-instance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let instance = dir.join("dertien.instance");
        assert!(!hand_over(&instance, &[PathBuf::from("a.xlsx")]), "no window open yet");

        let (sender, receiver) = std::sync::mpsc::channel();
        Listener::open(&instance).expect("listens").serve(move |files| {
            let _ = sender.send(files);
        });
        assert!(hand_over(&instance, &[dir.join("a.xlsx"), dir.join("b c.csv")]));
        assert_eq!(receiver.recv_timeout(Duration::from_secs(5)).expect("delivered"), [dir.join("a.xlsx"), dir.join("b c.csv")]);
        assert!(hand_over(&instance, &[]), "a start without files brings the window forward");
        assert_eq!(receiver.recv_timeout(Duration::from_secs(5)).expect("delivered"), Vec::<PathBuf>::new());

        // Someone without the key is turned away.
        let text = std::fs::read_to_string(&instance).expect("instance file");
        let port = text.split_once(' ').map(|(p, _)| p.to_string()).expect("port");
        std::fs::write(&instance, format!("{port} not-the-key\n")).expect("write");
        assert!(!hand_over(&instance, &[PathBuf::from("/etc/passwd")]));
        assert!(receiver.recv_timeout(Duration::from_millis(300)).is_err(), "nothing delivered");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::remove_file(&instance).expect("remove");
            let _listener = Listener::open(&instance).expect("listens");
            let mode = std::fs::metadata(&instance).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is the user's alone: {mode:o}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
