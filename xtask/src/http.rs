//! A minimal HTTP/1.1 client over `TcpStream` with keep-alive, and a free-port finder.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    time::Duration,
};

use crate::Result;

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One persistent connection to one server, reopened when the server closes it.
pub struct Client {
    addr: SocketAddr,
    bearer: Option<String>,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client { addr, bearer: None, conn: None }
    }

    pub fn set_bearer(&mut self, token: &str) {
        self.bearer = Some(token.to_string());
    }

    pub fn get(&mut self, path: &str) -> Result<Response> {
        self.request("GET", path, None)
    }

    pub fn post_json(&mut self, path: &str, json: &str) -> Result<Response> {
        self.request("POST", path, Some(("application/json", json)))
    }

    /// A POST of an HTML form (`application/x-www-form-urlencoded`, `form` already encoded).
    pub fn post_form(&mut self, path: &str, form: &str) -> Result<Response> {
        self.request("POST", path, Some(("application/x-www-form-urlencoded", form)))
    }

    /// `body` is `(content type, content)`.
    fn request(&mut self, method: &str, path: &str, body: Option<(&str, &str)>) -> Result<Response> {
        let reused = self.conn.is_some();
        match self.exchange(method, path, body) {
            // A kept-alive connection may have been closed by the server meanwhile: retry once.
            Err(_) if reused => {
                self.conn = None;
                self.exchange(method, path, body)
            }
            other => other,
        }
    }

    fn exchange(&mut self, method: &str, path: &str, body: Option<(&str, &str)>) -> Result<Response> {
        let result = self.try_exchange(method, path, body);
        if result.is_err() {
            self.conn = None;
        }
        result
    }

    fn try_exchange(&mut self, method: &str, path: &str, body: Option<(&str, &str)>) -> Result<Response> {
        if self.conn.is_none() {
            let stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            stream.set_read_timeout(Some(Duration::from_secs(60)))?;
            stream.set_nodelay(true)?;
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().ok_or("no connection")?;

        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        head.push_str("Accept: application/json\r\n");
        if let Some(token) = &self.bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some((content_type, _)) = body {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        let body = body.map_or("", |(_, content)| content);
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        // One write for the whole request: no small-packet delays.
        let mut request = head.into_bytes();
        request.extend_from_slice(body.as_bytes());
        let stream = conn.get_mut();
        stream.write_all(&request)?;
        stream.flush()?;

        let (response, keep_alive) = read_response(conn)?;
        if !keep_alive {
            self.conn = None;
        }
        Ok(response)
    }
}

/// Reads one response; also tells whether the connection may be reused.
pub fn read_response(conn: &mut BufReader<TcpStream>) -> Result<(Response, bool)> {
    let status_line = read_line(conn)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = None;
    let mut chunked = false;
    let mut keep_alive = true;
    loop {
        let line = read_line(conn)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = Some(value.parse::<usize>()?),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(conn)?
    } else if let Some(length) = length {
        let mut body = vec![0; length];
        conn.read_exact(&mut body)?;
        body
    } else {
        keep_alive = false;
        let mut body = Vec::new();
        conn.read_to_end(&mut body)?;
        body
    };
    let body = String::from_utf8_lossy(&body).into_owned();
    Ok((Response { status, body }, keep_alive))
}

fn read_chunked(conn: &mut BufReader<TcpStream>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_line(conn)?;
        let size = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)?;
        if size == 0 {
            // Trailers, then the blank line.
            while !read_line(conn)?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        conn.read_exact(&mut body[start..])?;
        read_line(conn)?;
    }
}

fn read_line(conn: &mut BufReader<TcpStream>) -> Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err("connection closed".into());
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
