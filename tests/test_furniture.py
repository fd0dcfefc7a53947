"""Site furniture is not the article: on the five seeds no furniture phrase stays in the
searchable body, and no sentence of the article is lost (first and last sentence of every
paragraph, listed by hand from reading the files)."""

from pathlib import Path

import pytest

from searchkit.ingestion.furniture import extract_article
from searchkit.ingestion.readers import read_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FURNITURE = {
    "000_27a83ec9d450e991.txt": [
        "Skip to main content",
        "Open this photo in gallery",
        "LARS HAGBERG/AFP/Getty Images",
        "seen right with Pence, left",
        "Follow related authors and topics",
        "Authors and topics you follow",
        "Interact with The Globe",
    ],
    "001_662951580d7f2bb3.txt": [
        "Related content",
        "Huawei cyber risks can’t be mitigated",
        "Would you recommend this article?",
        "Thanks for taking the time",
        "We'd love to hear your opinion",
        "Jim Love, Chief Content Officer",
        "Featured Download",
        "Howard Solomon",
        "Currently a freelance writer",
        "Featured Article",
        "ADaPT connects employers",
        "Help wanted.",
        "Related Tech News",
        "Tech Jobs",
        "Our experienced team of journalists",
        "Tech Companies Hiring Right Now",
    ],
    "002_328e5db03dccc51f.txt": [
        "Connect with us",
        "World News",
        "Avatar of CTN News",
        "By Rob Gillies",
        "The Associated Press",
        "The CTNNews editorial team",
        "Continue Reading",
        "CTN News App",
        "Recent News",
        "compras monedas fc 24",
        "Advertise here",
        "Volunteering at Soi Dog",
        "Find a Job",
        "Jooble jobs",
        "Free ibomma Movies",
    ],
    "003_af0983cd824246af.txt": [
        "Connect with us",
        "International Circuit",
        "Click to comment",
        "You must be logged in",
        "Leave a Reply",
        "Copyright ©",
        "Communications Today",
        "error: Content is protected",
        "policy.” Reuters",
    ],
    "004_7275c8d3644f7e00.txt": [],
}

ARTICLE = {
    "000_27a83ec9d450e991.txt": [
        "U.S. Vice-President Mike Pence made a personal appeal to Prime Minister Justin Trudeau on Thursday to bar Huawei Technologies from supplying gear to Canada’s next generation 5G wireless networks, saying the Chinese telecom giant represents a national-security risk to Western countries.",
        "This marked the highest-level official U.S. request of Canada since the Trump administration and bipartisan members of Congress began actively lobbying allies last year to prohibit domestic telecoms from installing Huawei’s 5G technology.",
        "“Let me say: We have been very clear with Canada, and with all of our allies, that we consider Huawei incompatible with the security interests of the United States of America or our allies … across the world,” Mr. Pence told a joint news conference in Ottawa.",
        "“We have urged our partners in Europe [and] we continue to urge Canada in this regard.”",
        "Mr. Pence said the fact that companies in China are required under law to conduct espionage at the request of Beijing’s security services “gives the Chinese government access to information and data that is collected by Chinese companies like Huawei.”",
        'He said the United States will be taking steps to promote viable Western alternatives to Huawei gear "that don’t compromise privacy, that don’t compromise security.”',
        "The Prime Minister would not commit to banning Huawei Technologies Co. Ltd. Thursday, saying the government is currently conducting a cybersecurity review of the potential risks of allowing Canadian wireless companies to use China’s 5G equipment.",
        "“We trust our national-security and intelligence experts to make recommendations on how we can ensure that Canadians are safe as we move toward a 5G world,” Mr. Trudeau said.",
        "Huawei − which has grown quickly to become the world’s largest telecommunications-equipment manufacturer − is at the heart of the battle between Washington and Beijing over what the Trump administration says is an effort by China to use its tech companies to expand its geopolitical goals.",
        "The U.S. has threatened to curtail the sharing of sensitive intelligence to countries that allow Huawei into their 5G networks, particularly members of the Five Eyes intelligence-sharing alliance that includes Canada, Britain, the U.S., Australia and New Zealand.",
        "The latter three have taken steps to bar domestic wireless companies from installing Huawei’s 5G.",
        "The Vice-President, on his first official visit to Canada, reiterated U.S. demands for Beijing to free two Canadians who were detained by China after Canadian authorities arrested senior Huawei executive Meng Wanzhou on a U.S. extradition request at Vancouver’s international airport in December.",
        '“The United States renewed our call on the Chinese government to release the two Canadians who have been wrongfully detained for the last six months without due process of law," he said.',
        '"We stand with Canada on this cause and we will continue to until your citizens are restored.”',
        "Mr. Pence did not respond when a reporter asked if the U.S. might withdraw its extradition request of Ms. Meng, a possibility that President Donald Trump has not ruled out as part of protracted trade talks with China.",
        "But he suggested that Mr. Trump could raise the cases of former diplomat Michael Kovrig and Canadian businessman Michael Spavor with China’s President Xi Jinping when he attends a G20 summit along with Mr. Trudeau in Japan in late June.",
        "“We are going to continue to urge China to release the Canadian citizens even as we deal with the larger economic and structural issues between the United States and China,” he said.",
        "“We respect and are grateful for the strong stand for the rule of law that Canada has taken with regard to the Huawei executive.”",
        "U.S. authorities allege that Ms. Meng, the daughter of Huawei’s founder, committed fraud relating to U.S. sanctions against Iran.",
        "Mr. Trudeau said many of Canada’s allies have expressed “their dismay” at China for what they consider the arbitrary arrest of the two Canadians.",
        "Beijing also blocked billions of dollars of Canadian canola and farm products in the wake of Ms. Meng’s arrest.",
        "“The democracies of the West are united in our condemnation of these arbitrary detentions in an attempt to gain political leverage,” Mr. Trudeau said.",
        "Last week, China’s ambassador to Canada, Lu Shaye, told The Globe and Mail that Canada must free Ms. Meng before normal relations can resume.",
        "China’s Foreign Minister, Wang Yi, has refused to even take a phone call from Foreign Affairs Minister Chrystia Freeland.",
        "The U.S. Vice-President was in Ottawa largely to discuss the ratification of the new North American free-trade agreement.",
        "The Prime Minister tabled legislation to ratify the continental treaty in Parliament on Wednesday, but there are concerns that the Democratic-controlled U.S. House of Representatives will block the deal.",
        "Mr. Pence assured the Prime Minster that the administration is working hard to get the treaty passed this summer.",
        "Mr. Trudeau has made it clear that Canada intends to align its ratification process with the time frame of the U.S. Congress and expressed concerns about any major changes to the treaty.",
        "“Canada doesn’t anticipate reopening that text.",
        "I think we all know reopening negotiations could lead to significant delays,” he said.",
        "In his talks, Mr. Trudeau raised the continuing softwood-lumber dispute and possible U.S. plans for tariffs on uranium imports, which would have a significant impact if they applied to Canada.",
        "The crisis in Venezuela was also on the agenda Thursday.",
        "Mr. Pence lauded Ottawa for sanctioning officials connected to the regime of President Nicolas Maduro and for playing a leading role in the Lima Group – a bloc of a dozen countries in the Americas that meet regularly to discuss Venezuela.",
        "The Lima Group – which includes Canada, Brazil, Argentina and Chile − backs Venezuelan opposition leader Juan Guaido’s push to oust Mr. Maduro but opposes military intervention.",
        "However, Mr. Trudeau made it clear that he did not agree with Mr. Pence’s tough criticism of Cuba, which has backed the Venezuelan President.",
        "“We acknowledge the United States’ position and perspective on Cuba.",
        "Canada has a very different view,” he said, noting that Cuba could “potentially play a very positive role” in the Lima Group to stabilize the situation in Venezuela.",
    ],
    "001_662951580d7f2bb3.txt": [
        "Huawei Canada shouldn’t necessarily expect the resolution of the extradition case against CFO Meng Wanzhou to lead to the Canadian government approving the sale of 5G networking equipment to telecom providers here, says a security expert.",
        "”I think it will mean nothing for [the sale of ] Huawei equipment unless the Canadian government has side conversations with the Chinese regime,” Christian Leuprecht, a Queen’s University professor and senior fellow in security and defence at the Macdonald Laurier Institute, said in an interview.",
        "And he doubts such talks have happened.",
        "“Governments always try to avoid linkage of different matters,” he explained.",
        "Ottawa “will not want to be in a position where it might end up making concessions to Huawei.”",
        "Friday afternoon a British Columbia judge dismissed the extradition hearing after learning the U.S. had withdrawn its request for Meng to be sent there to face charges.",
        "The move came after Meng accepted a deferred prosecution agreement from American authorities.",
        "The extradition hearing had forced Ottawa to delay a decision on whether Huawei’s equipment is a security risk and thus should not be installed by Canadian telecom wireless network providers in their latest wireless networks.",
        "It has lasted for so long that those with existing Huawei equipment in their networks — mainly Bell and Telus — have chosen other 5G equipment providers.",
        "The arrest in China of Canadians Michael Spavor and Michael Kovrig shortly after Meng’s 2018 arrest in Vancouver on an extradition request from the U.S. further slowed the process.",
        "Meanwhile the U.S. regularly pressured Canada — and other countries — to stay away from Huawei network equipment on security grounds.",
        "Leuprecht was interviewed before news broke that Spavor and Kovrig had been released and were on their way back to Canada.",
        "When asked if it is still possible that in the future Canada will allow telcos to buy Huawei networking equipment, Leuprecht was skeptical.",
        "“I think the Chinese know they have lost that fight,” he said.",
        "And the telecoms have got that message.”",
        "Meanwhile Huawei Canada continues to try to have a high business profile here.",
        "In January it noted the company spent just over $261 million on research and development here in 2019, making it rank 18th among Canada’s Top 100 Corporate R&D spenders according to a report by RE$EARCH Infosource Inc.",
        "Huawei opened a research centre in Ottawa in 2009, and has other R&D facilities in Waterloo, Edmonton, Vancouver, Montreal, Quebec City, Kingston, and at its Canadian headquarters in Markham, Ont.",
        "It has more than 1,200 researchers and engineers in this country.",
        "On Friday afternoon Meng appeared by video link before a New York judge where U.S. federal attorney David Kessler said a deferred prosecution agreement had been reached.",
        "As part of the deal, the United States withdraws its request to Canada for her extradition.",
        "At the same time Meng pleaded not guilty to bank and wire fraud charges for allegedly misleading financial institution HSBC in 2013 about the telecommunications equipment giant’s business dealings in Iran.",
        "Payments in that deal went through a U.S. branch of HSBC, allegedly in violation of the sanctions.",
        "As part of the deferred prosecution, Meng agreed to a statement of facts, including that of making untrue statements to HSBC that Skycom was a business partner when in fact Huawei controlled the company.",
        "U.S. charges against Huawei Technologies still remain.",
        "According to a Reuters report, the U.S. Justice Department is preparing for trial against Huawei.",
        "After her release, Meng expressed her appreciation to the Canadian government for its adherence to the rule of law, and thanked the Canadian people for their tolerance, apologizing for the “inconvenience caused.”",
        "In a tweet, Huawei Canada said “We look forward to seeing #MengWanzhou returning home safely to be reunited with her family.",
        "#Huawei will continue to defend itself against the allegations in the U.S. District Court for the Eastern District of New York.”",
    ],
    "002_328e5db03dccc51f.txt": [
        "OTTAWA – China’s ambassador to Canada warned the Canadian government Thursday to stop recruiting international support in its feud with China and threatened retaliation if Canada bans Chinese telecommunications giant Huawei for security reasons.",
        "Ambassador Lu Shaye said last month’s arrest of a top Huawei Technologies executive was an act of “backstabbing” by a friend and he warned of repercussions if Canada bars the firm from its new 5G network.",
        "He said it would be a bad idea for Foreign Affairs Minister Chrystia Freeland to use next week’s World Economic Forum meeting in Davos, Switzerland, to press for support against China.",
        "Freeland has said the detention of two Canadians as part of that fight will be at the top of her agenda in Davos and didn’t back down from that after hearing about the ambassador’s remark.",
        "“We hope Canada thinks twice before making any actions,” Lu said through an interpreter to a group of Canadian journalists.",
        "“China will not be isolated in the international community and will not waver in our position simply because of the objection of another country.”",
        "The arrest of Huawei executive Meng Wanzhou while she was traveling through the Vancouver airport Dec. 1 created a growing diplomatic rift.",
        "Lu called Canada’s arrest “politically motivated.”",
        "China detained two Canadians shortly after her arrest in an apparent attempt to pressure Canada to release her.",
        "Last week, Lu accused Canada of “white supremacy” in calling for the release of the two Canadians.",
        "After Lu’s interview, Freeland said: “The detention of Ms. Meng is a matter of rule of law.",
        "It is not in any way a statement of our relationship with China.”",
        "Canada has embarked on a campaign with allies to win the release of former diplomat Michael Kovrig and entrepreneur Michael Spavor, who were detained 10 days after Meng’s arrest.",
        "They are being held on vague allegations of “engaging in activities that endanger the national security” of China.",
        "“This is an issue that not only concerns Canada but a much broader international community,” Freeland said.",
        "“There is a large and growing group of allies who share Canada’s concerns about the rule of law.”",
        "China also sentenced another Canadian, Robert Schellenberg, to death Monday in a sudden retrial of his drug-smuggling case.",
        "John McCallum, the Canadian ambassador to China, said Canada has done a great job getting allies to support Canada’s position.",
        "But he added, “I really think that’s just the beginning.”",
        "Earlier Thursday, China rejected a statement by Freeland that the detention of the Canadians poses a threat to all countries.",
        "“I think your foreign minister may be in a hurry, and can’t help speaking without thinking,” Chinese foreign ministry spokeswoman Hua Chunying said in response to a question from a Canadian journalist on what threat China poses to Canada.",
        "Many countries have expressed support for Canada.",
        "The U.S. State Department called the death sentence “politically motivated.”",
        "On Thursday, Prime Minister Justin Trudeau’s office said Trudeau spoke to Singapore Prime Minister Lee Hsien Loong about the dispute, and the Spanish government issued a statement expressing concern about the death sentence against Schellenberg and the arrests of Kovrig and Spavor.",
        "Lu said economic relations between China and Canada can be repaired and the current impasse could be resolved through negotiations.",
        "He defended the arrests of the two Canadians and criticized Canada’s arrest of Meng, saying she didn’t break any Canadian laws.",
        "Canada is studying whether to use Huawei for 5G.",
        "The United States, Australia, Japan and some other governments have imposed curbs on use of its technology over such concerns.",
        "“There will be repercussions,” Lu said of Canada.",
        "Huawei is facing heightened scrutiny as phone carriers prepare to roll out fifth-generation technology in which the company is a leading competitor.",
        "5G is designed to support a vast expansion of networks to serve medical devices, self-driving cars and other technology.",
        "That increases the cost of potential security failures and has prompted governments increasingly to treat telecoms communications networks as strategic assets.",
        "Huawei’s image suffered a new blow last week when Polish authorities announced that one of its Chinese employees was arrested on spying charges.",
        "Huawei announced it fired the employee and said the allegations had nothing to do with the company.",
    ],
    "003_af0983cd824246af.txt": [
        "Canada could see the end of a nasty diplomatic dispute with China if the United States reaches a deal to release a Huawei executive from house arrest in Vancouver, but the affair shows that without the heft of its southern neighbor, Canada has no bargaining power with Beijing.",
        "And even if Huawei Technologies Co Ltd Chief Financial Officer Meng Wanzhou does return to China, bilateral relations still face major challenges.",
        "Shortly after Meng was picked up on a U.S. arrest warrant in December 2018, China detained two Canadian men – Michael Kovrig and Michael Spavor – who now face spying charges.Having failed to secure their immediate release, Canadian Foreign Minister Francois-Philippe Champagne has talked for months about a formal “reset” of relations with China.",
        "The idea was to balance taking a firm line on human rights issues and defending Hong Kong’s independence, while working together with China on issues such as climate change.",
        "Four people directly familiar with the matter said the effort stalled amid internal disagreements over what approach to take, and the realization that Ottawa has very little leverage over Beijing.",
        "“The only way to put real pressure on China is for a number of like-minded nations to form a common front.",
        "The United States are the key player here and without them, nothing will happen,” said one person directly familiar with the policy reset talks.",
        "U.S. prosecutors are discussing a deal with Meng’s lawyers to resolve criminal charges against her, a person familiar with the matter said.",
        "“Let’s hope that the discussions are serious and that a solution can be found because otherwise I think we would be in a mess for a long time,” Guy Saint-Jacques, former Canadian ambassador to China, told the Canadian Broadcasting Corporation.",
        "Canadian officials are silent over whether they are playing any role in the Meng talks, and Prime Minister Justin Trudeau declined to comment when asked about it on Friday.",
        "His “top priority” is the release of the detainees, he said.",
        "Foreign policy experts said Canada would have to insist the administration of U.S. President Donald Trump – which has not always had good relations with Ottawa – secure from China a guarantee it would release the Canadians as part of any deal.",
        "“Without the two Michaels being part of the package, we have no leverage at all if Meng should return to China,” said Phil Calvert, a former Canadian diplomat in China and now a research fellow at the University of Victoria.",
        "Even if Meng were released, the remaining challenges include a decision on whether to allow Huawei to supply equipment for next generation 5G telecoms networks.",
        "Other major allies have imposed a ban but Ottawa says it is still deciding what to do.",
        "Sources say Canada has effectively blocked Huawei but does not want to say so publicly for fear of harming the fortunes of the two detainees.",
        "Trudeau’s minority Liberal government, which relies on other parties to govern, is under pressure from the official opposition Conservatives to take a much firmer line with China.",
        "“There has been no reset.",
        "I can’t point to one thing that has changed with respect to China,” Conservative leader Erin O’Toole said in an interview on Nov. 19.",
        "Champagne’s office referred to comments the foreign minister made last week in which he said Canada would take a flexible approach to China.",
        "He also said “tough and irresponsible rhetoric” would not help the detainees.",
        "U.S. President-elect Joe Biden this week said one of his priorities would be to gather with allies “so we can develop a coherent strategy” on China.",
        "What role Ottawa would play in such talks is unclear.",
        "Like-minded democracies in the region such as Japan or South Korea, are important allies for any coordinated China policy, said a person familiar with the matter, adding: “Without the United States, Canada doesn’t have a China policy.”",
    ],
    "004_7275c8d3644f7e00.txt": [
        "China is pressuring Canada to use 5G technology from Huawei, says the country’s Innovation Minister, Navdeep Bains.",
        "According to CTV News, Bains told CTV’s Question Period in an interview China is “applying pressure” on Canada to use Huawei gear for 5G networks.",
        "“Clearly they are applying pressure, and they recognize that they need to get ahead of this technology and this is, in a geopolitical context, a very important issue and there are many factors that we’re taking into consideration,” said Bains.",
        "The Innovation Minister further added Canada is an independent country and will make decisions on its own terms and won’t be “bullied or pressured”.",
        "“When it comes to the safety and security of Canadians, that’s going to be the central deciding component of how we move forward on rolling out 5G,” said the Minister.",
        "Canada has not decided whether or not it will ban Huawei gear for 5G networks, as the decision continues to be delayed.",
        "Out of its Five Eyes allies, Australia, the United States, New Zealand and the United Kingdom have placed either bans or restrictive measures against Huawei for 5G.",
        "Canada is the only country that remains undecided.",
        "Diplomatic relations between Canada and China have become complicated ever since the daughter of Huawei’s CEO was arrested in Vancouver.",
        "A judge recently ruled Meng Wanzhou’s U.S. extradition case to proceed, as the Huawei CFO is alleged by the American government of breaking sanctions against Iran.",
        "China on Friday charged two Canadian men, Michael Spavor and Michael Kovrig, with spying.",
        "The move was seen as a retaliatory move by the Chinese government.",
        "Prime Minister Justin Trudeau reacted on the situation to say he was “disappointed” at the charges laid against the two Canadian men, saying, “I can assure you that we have developed a certain expertise in what has worked to get Canadians home in very difficult circumstances over the past year.”",
    ],
}


def _body(name: str) -> str:
    docs, _ = read_file(SEEDS / name, SEEDS)
    return docs[0].body


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_no_furniture_phrase_in_body(name):
    body = _body(name).casefold()
    kept = [phrase for phrase in FURNITURE[name] if phrase.casefold() in body]
    assert kept == []


@pytest.mark.parametrize("name", sorted(ARTICLE))
def test_no_article_sentence_lost(name):
    body = _body(name)
    lost = [sentence for sentence in ARTICLE[name] if sentence not in body]
    assert lost == []


@pytest.mark.parametrize("name", sorted(ARTICLE))
def test_body_starts_at_lede_and_ends_at_last_sentence(name):
    body = _body(name)
    assert body.startswith(ARTICLE[name][0])
    assert body.endswith(ARTICLE[name][-1])


def test_original_keeps_the_furniture():
    docs, _ = read_file(SEEDS / "002_328e5db03dccc51f.txt", SEEDS)
    assert "Jooble jobs" in docs[0].original
    assert "By Rob Gillies" in docs[0].original


def test_headline_is_found_among_navigation_and_left_out_of_body():
    page = "Home\nWorld News\n\nHuawei Faces New Limits on 5G Gear in Canada\n\nShare\n\n"
    page += "Canada will restrict Huawei gear in its 5G networks, officials said on Monday.\n"
    article = extract_article(page)
    assert article.headline == "Huawei Faces New Limits on 5G Gear in Canada"
    assert (
        article.body
        == "Canada will restrict Huawei gear in its 5G networks, officials said on Monday."
    )


def test_mid_article_furniture_goes_but_subheadings_stay():
    page = (
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday.\n\n"
        "Advertisement\n\n"
        "What happens next\n\n"
        "Carriers have two years to replace the equipment, the government said.\n\n"
        "Related: Huawei profits fall\n\n"
        "A protester holds a sign in Ottawa.JOHN DOE/THE CANADIAN PRESS\n\n"
        "Telecom companies said the cost would be passed on to customers in time.\n"
    )
    body = extract_article(page).body
    assert "Advertisement" not in body
    assert "Related" not in body
    assert "protester" not in body
    assert "What happens next" in body
    assert body.endswith("passed on to customers in time.")


def test_glued_wire_credit_goes_but_the_sentence_stays():
    page = (
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday. Reuters\n"
    )
    assert extract_article(page).body == (
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday."
    )


def test_trailing_short_lines_without_end_cue_are_dropped():
    page = (
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday.\n\n"
        "Most Popular\n\nWeather\n"
    )
    assert extract_article(page).body.endswith("said on Monday.")


def test_text_without_prose_is_kept_whole():
    assert extract_article("Huawei 5G notes\nCanada ban pending\n").body == (
        "Huawei 5G notes\nCanada ban pending"
    )


def test_lookalikes_of_end_cues_inside_the_article_do_not_end_it():
    page = (
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday.\n\n"
        "By the numbers\n\n"
        "Copyright holders sued the company in Ottawa last year, the court record shows.\n\n"
        "Carriers have two years to replace the equipment, the government said.\n\n"
        "By Jane Doe, The Canadian Press\n\n"
        "Jane Doe covers telecoms for us and lives in Ottawa with two cats and a dog.\n"
    )
    body = extract_article(page).body
    assert "By the numbers" in body
    assert "Copyright holders sued the company" in body
    assert body.endswith("the government said.")


def test_date_and_cookie_lines_are_not_headline_or_lede():
    page = (
        "Huawei loses its last Canadian contract\n\n"
        "Published June 21, 2020 at 10:30 am EDT\n\n"
        "We use cookies to improve your experience on this site and to show you ads.\n\n"
        "Canada will restrict Huawei gear in its 5G networks, officials said on Monday.\n"
    )
    article = extract_article(page)
    assert article.headline == "Huawei loses its last Canadian contract"
    assert (
        article.body
        == "Canada will restrict Huawei gear in its 5G networks, officials said on Monday."
    )
