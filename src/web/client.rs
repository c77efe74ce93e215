//! The client address of a request, for the login protection: the peer, or what a trusted
//! proxy says in `X-Forwarded-For` (`ClientAddress::of_request` decides).

use super::State;
use crate::domain::ClientAddress;
use actix_web::HttpRequest;
use std::net::{IpAddr, Ipv4Addr};

pub fn address(state: &State, request: &HttpRequest) -> ClientAddress {
    // Without a peer (not over TCP) every such request shares one count, which errs on the
    // side of refusing.
    let peer = request.peer_addr().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    let forwarded: Vec<&str> = request.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
    ClientAddress::of_request(peer, &forwarded, &state.trusted_proxies)
}
