package message

import (
	"strings"
)

// fedwireJSONTags maps the members of the moov-io/wire JSON rendering of
// a Fedwire message ({"fedWireMessage": {...}}) to the tags they stand for.
var fedwireJSONTags = map[string]string{
	"senderSupplied": "1500", "typeSubType": "1510", "inputMessageAccountabilityData": "1520", "amount": "2000",
	"senderDepositoryInstitution": "3100", "receiverDepositoryInstitution": "3400", "businessFunctionCode": "3600",
	"localInstrument": "3610", "beneficiaryIntermediaryFI": "4000", "beneficiaryFI": "4100", "beneficiary": "4200",
	"accountDebitedDrawDown": "4400", "originator": "5000", "originatorOptionF": "5010", "originatorFI": "5100",
	"instructingFI": "5200", "accountCreditedDrawDown": "5400",
	"originatorToBeneficiary": "6000", "fiReceiverFI": "6100", "fiDrawdownDebitAccountAdvice": "6110",
	"fiIntermediaryFI": "6200", "fiIntermediaryFIAdvice": "6210", "fiBeneficiaryFI": "6300",
	"fiBeneficiaryFIAdvice": "6310", "fiBeneficiary": "6400", "fiBeneficiaryAdvice": "6410",
	"fiPaymentMethodToBeneficiary": "6420", "fiAdditionalFiToFi": "6500",
	"orderingCustomer": "7050", "orderingInstitution": "7052", "intermediaryInstitution": "7056",
	"institutionAccount": "7057", "beneficiaryCustomer": "7059", "remittance": "7070", "sentToReceiver": "7072",
	"unstructuredAddenda": "8200", "relatedRemittance": "8250", "remittanceOriginator": "8300",
	"remittanceBeneficiary": "8350", "serviceMessage": "9000",
}

// jsonLineKeys are the members holding the lines of a text or SWIFT tag,
// in order.
var jsonLineKeys = []string{"swiftFieldTag", "adviceCode", "paymentMethod", "lineOne", "lineTwo", "lineThree", "lineFour", "lineFive", "lineSix", "Additional", "swiftLineOne", "swiftLineTwo", "swiftLineThree", "swiftLineFour", "swiftLineFive", "swiftLineSix", "addendaInformation", "remittanceIdentification", "remittanceLocationMethod", "remittanceLocationElectronicAddress", "name", "remittanceData"}

// parseFedwireJSON reads the moov-io/wire JSON rendering of a Fedwire
// message by turning its members back into tags.
func parseFedwireJSON(doc map[string]any) (*Message, error) {
	fw, _ := doc["fedWireMessage"].(map[string]any)
	var tags []fwTag
	for _, k := range sortedKeys(fw) {
		tag, ok := fedwireJSONTags[k]
		if !ok {
			continue
		}
		o, _ := fw[k].(map[string]any)
		if o == nil {
			continue
		}
		tags = append(tags, fwTag{tag: tag, value: fwJSONValue(tag, o)})
	}
	// Tag order matters only for the paths' order; keep the numeric order.
	sortTags(tags)
	return fedwireMessage(tags)
}

func sortTags(ts []fwTag) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].tag < ts[j-1].tag; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// fwJSONValue rebuilds the tag value of one member.
func fwJSONValue(tag string, o map[string]any) string {
	s := func(m map[string]any, k string) string { return jsonScalar(m[k]) }
	switch tag {
	case "1520":
		return s(o, "inputCycleDate") + s(o, "inputSource") + s(o, "inputSequenceNumber")
	case "3100":
		return s(o, "senderABANumber") + s(o, "senderShortName") + "*"
	case "3400":
		return s(o, "receiverABANumber") + s(o, "receiverShortName") + "*"
	case "3600":
		return s(o, "businessFunctionCode") + s(o, "transactionTypeCode")
	case "3610":
		return s(o, "LocalInstrument") + "*"
	case "4000", "4100", "4200", "4400", "5000", "5100", "5200", "5400":
		var p map[string]any
		for _, k := range []string{"personal", "financialInstitution"} {
			if x, ok := o[k].(map[string]any); ok {
				p = x
			}
		}
		if p == nil {
			p = o
		}
		addr, _ := p["address"].(map[string]any)
		if addr == nil {
			addr = map[string]any{}
		}
		return strings.Join([]string{s(p, "identificationCode") + s(p, "identifier"), s(p, "name"),
			s(addr, "addressLineOne"), s(addr, "addressLineTwo"), s(addr, "addressLineThree")}, "*") + "*"
	case "5010":
		return strings.Join([]string{s(o, "partyIdentifier"), s(o, "name"), s(o, "lineOne"), s(o, "lineTwo"), s(o, "lineThree")}, "*") + "*"
	}
	// Text and SWIFT tags: the lines, found at any depth, in order.
	flat := map[string]string{}
	var collect func(m map[string]any)
	collect = func(m map[string]any) {
		for k, v := range m {
			if x, ok := v.(map[string]any); ok {
				collect(x)
			} else if str := jsonScalar(v); str != "" {
				flat[k] = str
			}
		}
	}
	collect(o)
	var parts []string
	if strings.HasPrefix(tag, "70") {
		parts = append(parts, flat["swiftFieldTag"])
	}
	for _, k := range jsonLineKeys {
		if k == "swiftFieldTag" {
			continue
		}
		if v, ok := flat[k]; ok {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		for _, k := range sortedKeys(o) {
			if v := s(o, k); v != "" {
				parts = append(parts, v)
			}
		}
	}
	return strings.Join(parts, "*") + "*"
}
