//! One window per store. "Open with Dertien" while Dertien is open hands the
//! files to the open window, instead of starting a second window on the same
//! store whose imports the first would not show.
//!
//! The open window listens on a local port (127.0.0.1 only) and writes the
//! port and a random key to a file beside its store, readable by the user
//! alone. A later start connects and the two prove to each other that they
//! know the key without sending it: the start sends a fresh nonce, the window
//! answers with a hash of key, nonce and its role, and only then does the
//! start send its own proof and the file paths. So a program of another user
//! that took over a stale port learns no paths, and one that connects to the
//! window cannot hand it files. A file left by a window that crashed is taken
//! over: nothing that knows its key answers on its port.
//!
//! Tauri's single-instance plugin was weighed: on Linux it brings D-Bus
//! (zbus and its async stack) into the build, and it is one instance per app,
//! where Dertien keeps one window per store (`--db`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The first line of a hand-over, so a stray connection is told apart.
const GREETING: &str = "dertien-hand-over 2";
/// What the open window answers once it has the files.
const TAKEN: &str = "taken";
/// Paths a later start may hand over at once, and their total length.
const MAX_MESSAGE: u64 = 1 << 20;
/// How long one connection may take, whole: a slow or silent one is cut.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(3);
/// Connections served at once; more are closed at once (a flood of silent
/// local connections cannot pile up threads).
const MAX_CONNECTIONS: usize = 16;

/// Hands `files` (possibly none: then the open window just comes forward) to
/// the window open on this store; true when one took them.
pub fn hand_over(instance: &Path, files: &[PathBuf]) -> bool {
    let Ok(text) = std::fs::read_to_string(instance) else { return false };
    let Some((port, key)) = text.trim().split_once(' ') else { return false };
    let Ok(port) = port.parse::<u16>() else { return false };
    let deadline = Instant::now() + CONNECTION_DEADLINE;
    // The window may be busy serving others for a moment: try again until
    // the deadline, but never past a listener that failed its proof.
    while Instant::now() < deadline {
        match offer(port, key, files, deadline) {
            Offer::Taken => return true,
            Offer::NotOurs => return false,
            Offer::Closed => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    false
}

enum Offer {
    Taken,
    /// Nothing listens, or something that does not know the key.
    NotOurs,
    /// Closed before a word: the window had too many connections.
    Closed,
}

fn offer(port: u16, key: &str, files: &[PathBuf], deadline: Instant) -> Offer {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else { return Offer::NotOurs };
    let nonce = match crate::store::random_bytes() {
        Ok(bytes) => hex(&bytes),
        Err(_) => return Offer::NotOurs,
    };
    let mut writer = &stream;
    if writer.write_all(format!("{GREETING}\n{nonce}\n").as_bytes()).is_err() {
        return Offer::Closed;
    }
    let mut reader = BufReader::new(Deadline { stream: &stream, deadline }.take(MAX_MESSAGE));
    let mut proof = String::new();
    match reader.read_line(&mut proof) {
        Ok(0) | Err(_) => return Offer::Closed,
        Ok(_) => {}
    }
    if !same(proof.trim_end().as_bytes(), self::proof(key, &nonce, "window").as_bytes()) {
        return Offer::NotOurs;
    }
    let mut message = format!("{}\n", self::proof(key, &nonce, "start"));
    for file in files {
        // The open window may run in another folder: it gets whole paths.
        let path = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        message.push_str(&path.to_string_lossy());
        message.push('\n');
    }
    if writer.write_all(message.as_bytes()).and_then(|()| stream.shutdown(std::net::Shutdown::Write)).is_err() {
        return Offer::NotOurs;
    }
    let mut answer = String::new();
    let taken = reader.take(64).read_to_string(&mut answer).is_ok() && answer == TAKEN;
    if taken {
        Offer::Taken
    } else {
        Offer::NotOurs
    }
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
        let key = hex(&crate::store::random_bytes().map_err(std::io::Error::other)?);
        write_private(instance, &format!("{} {key}\n", listener.local_addr()?.port()))?;
        Ok(Listener { listener, key })
    }

    /// Serves later starts on a thread of its own, each connection on a
    /// thread of its own with a deadline; `deliver` gets the paths each one
    /// hands over.
    pub fn serve(self, deliver: impl Fn(Vec<PathBuf>) + Send + Sync + 'static) {
        let deliver = Arc::new(deliver);
        let key: Arc<str> = self.key.into();
        let serving = Arc::new(AtomicUsize::new(0));
        // Without the thread, later starts open windows of their own.
        let _ = std::thread::Builder::new().name("instance".into()).spawn(move || {
            for stream in self.listener.incoming().flatten() {
                if serving.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                    serving.fetch_sub(1, Ordering::AcqRel);
                    continue;
                }
                let (deliver, key, done) = (Arc::clone(&deliver), Arc::clone(&key), Arc::clone(&serving));
                let spawned = std::thread::Builder::new().name("instance-connection".into()).spawn(move || {
                    if let Some(files) = read_hand_over(&stream, &key) {
                        deliver(files);
                        let _ = (&stream).write_all(TAKEN.as_bytes());
                    }
                    done.fetch_sub(1, Ordering::AcqRel);
                });
                if spawned.is_err() {
                    serving.fetch_sub(1, Ordering::AcqRel);
                }
            }
        });
    }
}

/// The paths a later start sent, if it proved it knows the key.
fn read_hand_over(stream: &TcpStream, key: &str) -> Option<Vec<PathBuf>> {
    let deadline = Instant::now() + CONNECTION_DEADLINE;
    let mut lines = BufReader::new(Deadline { stream, deadline }.take(MAX_MESSAGE)).lines();
    if lines.next()?.ok()? != GREETING {
        return None;
    }
    let nonce = lines.next()?.ok()?;
    // A nonce is 64 hex digits: anything else is not a start of Dertien's.
    if nonce.len() != 64 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (&*stream).write_all(format!("{}\n", proof(key, &nonce, "window")).as_bytes()).ok()?;
    if !same(lines.next()?.ok()?.as_bytes(), proof(key, &nonce, "start").as_bytes()) {
        return None;
    }
    Some(lines.map_while(Result::ok).filter(|line| !line.is_empty()).map(PathBuf::from).collect())
}

/// A connection read with one deadline for the whole of it, not per read:
/// a client sending a byte a second cannot hold its thread for ever.
struct Deadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&*self.stream).read(buffer)
    }
}

/// Who knows the key can make this; who sees it learns nothing of the key.
fn proof(key: &str, nonce: &str, role: &str) -> String {
    hex(&Sha256::new().chain_update(key).chain_update(b"\n").chain_update(nonce).chain_update(b"\n").chain_update(role).finalize())
}

/// Equal, in a time that does not tell how much of `a` matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |difference, (x, y)| difference | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `text` to `path`, readable and writable by the user alone: a new
/// file of its own, made exclusively (never through a link, never another
/// user's file), then renamed over `path`, which replaces a link or an
/// older file there rather than writing through it.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let suffix = hex(&crate::store::random_bytes().map_err(std::io::Error::other)?[..8]);
    let fresh = path.with_extension(format!("instance-{suffix}"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&fresh).and_then(|mut file| file.write_all(text.as_bytes())).and_then(|()| std::fs::rename(&fresh, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&fresh);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dertien-instance-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    fn open_window(instance: &Path) -> std::sync::mpsc::Receiver<Vec<PathBuf>> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let sender = std::sync::Mutex::new(sender);
        Listener::open(instance).expect("listens").serve(move |files| {
            let _ = sender.lock().map(|s| s.send(files));
        });
        receiver
    }

    fn port(instance: &Path) -> u16 {
        let text = std::fs::read_to_string(instance).expect("instance file");
        text.split_once(' ').and_then(|(p, _)| p.parse().ok()).expect("port")
    }

    #[test]
    fn a_later_start_hands_its_files_to_the_open_window() {
        let dir = folder("hand-over");
        let instance = dir.join("dertien.instance");
        assert!(!hand_over(&instance, &[PathBuf::from("a.xlsx")]), "no window open yet");

        let receiver = open_window(&instance);
        assert!(hand_over(&instance, &[dir.join("a.xlsx"), dir.join("b c.csv")]));
        assert_eq!(receiver.recv_timeout(Duration::from_secs(5)).expect("delivered"), [dir.join("a.xlsx"), dir.join("b c.csv")]);
        assert!(hand_over(&instance, &[]), "a start without files brings the window forward");
        assert_eq!(receiver.recv_timeout(Duration::from_secs(5)).expect("delivered"), Vec::<PathBuf>::new());

        // Someone without the key is turned away.
        std::fs::write(&instance, format!("{} not-the-key\n", port(&instance))).expect("write");
        assert!(!hand_over(&instance, &[PathBuf::from("/etc/passwd")]));
        assert!(receiver.recv_timeout(Duration::from_millis(300)).is_err(), "nothing delivered");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn silent_and_slow_connections_do_not_keep_a_later_start_out() {
        let dir = folder("silent");
        let instance = dir.join("dertien.instance");
        let receiver = open_window(&instance);
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port(&instance)));
        // Connections that say nothing, and one that trickles a byte at a time.
        let silent: Vec<TcpStream> = (0..8).filter_map(|_| TcpStream::connect(address).ok()).collect();
        let mut slow = TcpStream::connect(address).expect("connects");
        slow.write_all(b"d").expect("writes");
        let started = Instant::now();
        assert!(hand_over(&instance, &[dir.join("a.xlsx")]), "the start got through");
        assert_eq!(receiver.recv_timeout(Duration::from_secs(5)).expect("delivered"), [dir.join("a.xlsx")]);
        assert!(started.elapsed() < CONNECTION_DEADLINE, "without waiting for the silent ones");
        drop(silent);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_squatter_on_a_stale_port_learns_no_paths() {
        let dir = folder("squatter");
        let instance = dir.join("dertien.instance");
        // The window that wrote this file is gone; another program took its port
        // and answers like a window would, without the key.
        let squatter = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binds");
        let port = squatter.local_addr().expect("address").port();
        std::fs::write(&instance, format!("{port} {}\n", "ab".repeat(32))).expect("write");
        let heard = std::thread::spawn(move || {
            let (stream, _) = squatter.accept().expect("a start connects");
            let _ = (&stream).write_all(b"0000\ntaken");
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut heard = Vec::new();
            let _ = (&stream).take(4096).read_to_end(&mut heard);
            String::from_utf8_lossy(&heard).into_owned()
        });
        assert!(!hand_over(&instance, &[dir.join("secret-report.xlsx")]), "not handed to a stranger");
        let heard = heard.join().expect("squatter");
        assert!(!heard.contains("secret-report"), "the squatter heard: {heard}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn proofs_differ_by_role_and_nonce_and_compare_whole() {
        assert_ne!(proof("k", "n", "window"), proof("k", "n", "start"));
        assert_ne!(proof("k", "n", "start"), proof("k", "m", "start"));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }

    #[cfg(unix)]
    #[test]
    fn the_instance_file_is_the_users_alone_and_never_written_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder("private");
        let instance = dir.join("dertien.instance");
        // A file another program left readable by all.
        std::fs::write(&instance, "1 old\n").expect("write");
        std::fs::set_permissions(&instance, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let _window = Listener::open(&instance).expect("listens");
        let mode = std::fs::metadata(&instance).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is the user's alone: {mode:o}");

        // A link in its place: replaced, and what it pointed at left alone.
        let target = dir.join("precious.txt");
        std::fs::write(&target, "keep me").expect("write");
        std::fs::remove_file(&instance).expect("remove");
        std::os::unix::fs::symlink(&target, &instance).expect("symlink");
        let _window = Listener::open(&instance).expect("listens");
        assert_eq!(std::fs::read_to_string(&target).expect("target"), "keep me");
        assert!(!std::fs::symlink_metadata(&instance).expect("metadata").file_type().is_symlink(), "the link was replaced");
        let leftovers =
            std::fs::read_dir(&dir).expect("dir").flatten().filter(|e| e.file_name().to_string_lossy().contains("instance-")).count();
        assert_eq!(leftovers, 0, "no temporary file left behind");
        let _ = std::fs::remove_dir_all(dir);
    }
}
