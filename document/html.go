package document

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipTags hold no main text: scripts, styles, navigation, page header and
// footer, forms, embedded frames and graphics.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Button: true, atom.Iframe: true, atom.Select: true, atom.Head: true, atom.Dialog: true, atom.Menu: true,
}

// blockTags end a paragraph; lineTags end a line.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Article: true, atom.Section: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true, atom.Table: true,
	atom.Main: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true, atom.Li: true, atom.Tr: true, atom.Dd: true, atom.Dt: true,
}

// boilerplate are words of class, id, role or aria-label values that mark
// page furniture: cookie and consent banners, notifications, menus, share
// buttons, newsletters, advertising.
var boilerplate = []string{"cookie", "consent", "gdpr", "banner", "notification", "newsletter", "subscribe", "navbar",
	"navigation", "breadcrumb", "footer", "header", "sidebar", "share", "social", "advert", "promo", "popup", "modal",
	"related", "comment", "menu", "skip-link", "masthead", "paywall", "signup", "sign-up", "toolbar"}

func isBoilerplate(attrs []html.Attribute) bool {
	for _, a := range attrs {
		switch a.Key {
		case "class", "id", "role", "aria-label", "data-component":
			v := strings.ToLower(a.Val)
			if a.Key == "role" && (v == "navigation" || v == "banner" || v == "contentinfo" || v == "complementary" || v == "alertdialog" || v == "dialog") {
				return true
			}
			for _, w := range boilerplate {
				if strings.Contains(v, w) {
					return true
				}
			}
		case "hidden", "aria-hidden":
			if a.Key == "hidden" || a.Val == "true" {
				return true
			}
		}
	}
	return false
}

// readHTML extracts the main text of an HTML page with a streaming
// tokenizer (no tree is built): the text of skipped and boilerplate
// elements is dropped; when the page has <main> or <article> elements
// holding text, only their text is kept. Elements nested deeper than
// lim.MaxDepth keep no text (a page of 100,000 nested elements costs
// linear time and yields the text of its first levels).
func readHTML(b []byte, lim Limits) (*Document, error) {
	type frame struct {
		tag  atom.Atom
		skip bool
		main bool
	}
	all := &builder{max: lim.MaxText}
	main := &builder{max: lim.MaxText}
	z := html.NewTokenizer(bytes.NewReader(b))
	z.SetMaxBuf(lim.MaxText)
	var stack []frame
	skipDepth := 0 // open elements whose text is dropped
	mainDepth := 0
	off := 0
	deep := 0 // open elements beyond MaxDepth, not on the stack
	for {
		tt := z.Next()
		raw := len(z.Raw())
		src := off
		off += raw
		switch tt {
		case html.ErrorToken:
			if z.Err() != nil && z.Err().Error() != "EOF" {
				return nil, z.Err()
			}
			d := all.doc(FormatHTML)
			if strings.TrimSpace(main.b.String()) != "" && len(strings.TrimSpace(main.b.String())) >= 200 {
				d = main.doc(FormatHTML)
			}
			d.Text = strings.TrimRight(d.Text, "\n")
			for i := range d.Segments {
				d.Segments[i].End = min(d.Segments[i].End, len(d.Text))
				d.Segments[i].Start = min(d.Segments[i].Start, d.Segments[i].End)
			}
			return d, nil
		case html.TextToken:
			if skipDepth > 0 || deep > 0 {
				continue
			}
			t := string(z.Text())
			t = collapse(t)
			if strings.TrimSpace(t) == "" {
				if all.b.Len() > 0 && !strings.HasSuffix(all.b.String(), " ") && !strings.HasSuffix(all.b.String(), "\n") {
					all.write(" ", -1, 0)
					if mainDepth > 0 {
						main.write(" ", -1, 0)
					}
				}
				continue
			}
			all.write(t, src, 0)
			if mainDepth > 0 {
				main.write(t, src, 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			var attrs []html.Attribute
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
			}
			if a == atom.Br {
				all.newline(1)
				if mainDepth > 0 {
					main.newline(1)
				}
				continue
			}
			if blockTags[a] && skipDepth == 0 {
				all.newline(2)
				if mainDepth > 0 {
					main.newline(2)
				}
			}
			if tt == html.SelfClosingTagToken || voidTag(a) {
				continue
			}
			if len(stack) >= lim.MaxDepth {
				deep++
				continue
			}
			f := frame{tag: a, skip: skipTags[a] || a != atom.Body && a != atom.Html && isBoilerplate(attrs), main: a == atom.Main || a == atom.Article}
			if f.skip {
				skipDepth++
			}
			if f.main {
				mainDepth++
			}
			stack = append(stack, f)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if deep > 0 {
				deep--
				continue
			}
			// Close up to the matching element (HTML allows omitted end tags).
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].tag != a {
					continue
				}
				for len(stack) > k {
					f := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					if f.skip {
						skipDepth--
					}
					if f.main {
						mainDepth--
					}
				}
				break
			}
			if blockTags[a] && skipDepth == 0 {
				all.newline(2)
				if mainDepth > 0 || a == atom.Main || a == atom.Article {
					main.newline(2)
				}
			}
		}
	}
}

func voidTag(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// collapse turns runs of white space into one space.
func collapse(s string) string {
	if !strings.ContainsAny(s, "\n\t\r  ") {
		return s
	}
	lead := len(s) > 0 && strings.ContainsRune(" \n\t\r", rune(s[0]))
	trail := len(s) > 0 && strings.ContainsRune(" \n\t\r", rune(s[len(s)-1]))
	out := strings.Join(strings.Fields(s), " ")
	if lead {
		out = " " + out
	}
	if trail {
		out += " "
	}
	return out
}
