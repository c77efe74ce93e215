//! The address a request came from, as the login protection counts it.
//!
//! IPv6 addresses count per /64 network: a single connection usually gets a whole /64, so
//! counting single IPv6 addresses would give an attacker 2^64 fresh starts. An IPv4 address
//! mapped into IPv6 (`::ffff:192.0.2.1`, as a dual-stack listener reports it) is that IPv4
//! address.
//!
//! `X-Forwarded-For` is whatever the client wrote, unless a proxy we trust wrote the end of it.
//! So it is read only when the peer is a trusted proxy, and then from the right: each trusted
//! proxy appends the address it saw, so the right-most entry that is not a trusted proxy is the
//! first one no trusted party vouches for going further, and that is the client. Entries to its
//! left came from the client and may say anything.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is geen IP-adres (bijv. 192.0.2.7 of 2001:db8::1)")]
pub struct InvalidClientAddress(pub String);

impl ClientAddress {
    pub fn from_ip(ip: IpAddr) -> ClientAddress {
        match ip {
            IpAddr::V4(v4) => ClientAddress(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientAddress(v4.to_string()),
                None => {
                    let network = u128::from(v6) & !((1u128 << 64) - 1);
                    ClientAddress(format!("{}/64", Ipv6Addr::from(network)))
                }
            },
        }
    }

    /// An address as an admin types it: an IP address, or an IPv6 network as listed (`.../64`).
    pub fn parse(text: &str) -> Result<ClientAddress, InvalidClientAddress> {
        let text = text.trim();
        let ip = text.strip_suffix("/64").filter(|t| t.contains(':')).unwrap_or(text);
        ip.parse::<IpAddr>().map(ClientAddress::from_ip).map_err(|_| InvalidClientAddress(text.to_string()))
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For` header values
    /// (in the order received), when `trusted` are the proxies in front of us.
    pub fn of_request(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> ClientAddress {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| same_host(t, ip));
        if !is_trusted(&peer) {
            return ClientAddress::from_ip(peer);
        }
        let mut client = peer;
        for entry in forwarded_for.iter().flat_map(|h| h.split(',')).rev() {
            // Something that is not an address came from beyond the last trusted hop: the hop
            // that passed it on is all we know.
            let Some(ip) = parse_entry(entry) else { break };
            client = ip;
            if !is_trusted(&ip) {
                break;
            }
        }
        ClientAddress::from_ip(client)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn same_host(a: &IpAddr, b: &IpAddr) -> bool {
    a.to_canonical() == b.to_canonical()
}

/// An entry as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    entry.rsplit_once(':').and_then(|(host, _)| host.parse::<std::net::Ipv4Addr>().ok()).map(IpAddr::V4)
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv6_counts_per_network_and_mapped_ipv4_as_ipv4() {
        let a = ClientAddress::from_ip(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientAddress::from_ip(ip("2001:db8:1:2:bbbb::9"));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "2001:db8:1:2::/64");
        assert_ne!(a, ClientAddress::from_ip(ip("2001:db8:1:3::1")));
        assert_eq!(ClientAddress::from_ip(ip("::ffff:192.0.2.1")).as_str(), "192.0.2.1");
        assert_eq!(ClientAddress::parse(" 2001:db8:1:2::/64 ").unwrap(), a);
        assert_eq!(ClientAddress::parse("192.0.2.1").unwrap().as_str(), "192.0.2.1");
        assert!(ClientAddress::parse("192.0.2.1/64").is_err());
        assert!(ClientAddress::parse("example.org").is_err());
    }

    #[test]
    fn forwarded_for_is_read_only_from_a_trusted_proxy_and_from_the_right() {
        let proxy = ip("10.0.0.2");
        let none: &[IpAddr] = &[];
        // Without a trusted proxy the header is the client's word and is ignored.
        assert_eq!(ClientAddress::of_request(ip("198.51.100.9"), &["203.0.113.5"], none).as_str(), "198.51.100.9");
        // From a peer that is not the trusted proxy, too.
        assert_eq!(ClientAddress::of_request(ip("198.51.100.9"), &["203.0.113.5"], &[proxy]).as_str(), "198.51.100.9");
        // Through the proxy: what the proxy appended, not what the client put before it.
        let spoofed = ["1.2.3.4, 203.0.113.5"];
        assert_eq!(ClientAddress::of_request(proxy, &spoofed, &[proxy]).as_str(), "203.0.113.5");
        // Two trusted proxies, two headers: the first untrusted entry from the right.
        let inner = ip("10.0.0.3");
        let headers = ["1.2.3.4", "203.0.113.5:5555, 10.0.0.3"];
        assert_eq!(ClientAddress::of_request(proxy, &headers, &[proxy, inner]).as_str(), "203.0.113.5");
        // Garbage beyond the proxy: the proxy's own address, which at least is one.
        assert_eq!(ClientAddress::of_request(proxy, &["niet-een-adres"], &[proxy]).as_str(), "10.0.0.2");
        // No header: the proxy itself.
        assert_eq!(ClientAddress::of_request(proxy, &[], &[proxy]).as_str(), "10.0.0.2");
        assert_eq!(ClientAddress::of_request(proxy, &["[2001:db8::7]:443"], &[proxy]).as_str(), "2001:db8::/64");
    }
}
