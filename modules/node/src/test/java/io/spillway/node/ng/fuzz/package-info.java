/**
 * Fuzz targets for the ng control port: the bencode decoder and the whole datagram path (cookie,
 * bencode, command dispatch, SDP editing), over {@code src/test/resources/fuzz/ng/}.
 */
package io.spillway.node.ng.fuzz;
