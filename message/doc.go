// Package message reads payment and trade messages into the fields a
// sanctions screen needs, and screens them field by field.
//
// The readers cover ISO 20022 (pacs.008, pacs.009 with its COV variant,
// pacs.004, pain.001 and any other Document whose element names match,
// with or without the business application header: elements are matched by
// their local names, never by namespace, so every version parses), SWIFT
// FIN MT messages (MT103, MT202/202COV, MT205/205COV and the other
// categories by their party fields), the Fedwire Funds tag format ({1500}
// ... {8750}) and the DCSA electronic bill of lading 3.0. Each Message
// lists its parties (role, field path, name, BIC, account, address,
// country), free-text fields, vessels with IMO numbers, ports and places,
// and goods descriptions, each with the path of the field it came from
// (CdtTrfTxInf[0]/UltmtCdtr/Nm, :59F:, {5000}, documentParties/shipper).
//
// Screen (screen.go) screens a Message through an interdict.Screener and
// decides release or hold.
package message
